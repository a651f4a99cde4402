#!/usr/bin/env node
// A KUBE_EDITOR for tests: adds the label edited=yes to the object kubectl opened.
import { readFileSync, writeFileSync } from "node:fs";
const file = process.argv[2];
const text = readFileSync(file, "utf8");
writeFileSync(file, text.replace(/^(  labels:\n)/m, "$1    edited: \"yes\"\n").replace(/^metadata:\n(?!  labels:)/m, "metadata:\n  labels:\n    edited: \"yes\"\n"));
