#!/usr/bin/env node
const { execSync } = require("child_process");

console.log("building bundle...");
execSync("esbuild src/index.ts --bundle --outfile=dist/app.js", { stdio: "inherit" });
console.log("done");
