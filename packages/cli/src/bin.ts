#!/usr/bin/env node
import { readPackageVersion, runMain } from "@tofu-oci/cli-kit";
import { BUILT_IN_COMMANDS } from "./built-ins.js";
import { runUmbrella } from "./umbrella.js";

await runMain((args, ctx) =>
  runUmbrella(args, ctx, { version: readPackageVersion(import.meta.url), builtIns: BUILT_IN_COMMANDS }),
);
