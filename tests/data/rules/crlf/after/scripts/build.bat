@echo off
setlocal
call build.cmd %*
exit /b %errorlevel%
