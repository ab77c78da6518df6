#!/usr/bin/env node
import { runBin } from "@tofu-oci/cli-kit";
import { cli } from "./command.js";

await runBin(cli);
