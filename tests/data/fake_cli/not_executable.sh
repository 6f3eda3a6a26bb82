#!/bin/sh
# Deliberately not executable: the adapter must report it unavailable.
echo never
