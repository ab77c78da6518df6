import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PERSONALITIES, personalityGuide } from "@tofu-oci/testkit";
import { describe, expect, it } from "vitest";
import { NAMES, PLANS } from "./support/registry-plans.js";

// The root README's "Registries" table must say what the test bed's personalities and the
// client code say (issue 15): one row per personality in catalogue order, its title, what the
// user must configure word for word, and in the middle column every catalogue row the
// personality reproduces whose handling is cited in the client code (packages/core/src/remote),
// and no row it does not reproduce. So neither the README nor the code can drift alone.

const root = join(import.meta.dirname, "../../..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const catalogue = readFileSync(join(root, "docs/contract/registry-quirks.md"), "utf8");
const CATALOGUE_ROWS = new Set(
  [...catalogue.matchAll(/^\| ([a-z0-9]+(?:-[a-z0-9]+)+)[ |]/gm)].map((match) => match[1]!),
);
const REMOTE = join(root, "packages/core/src/remote");
const clientCode = readdirSync(REMOTE)
  .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
  .map((file) => readFileSync(join(REMOTE, file), "utf8"))
  .join("\n");
const CITED = new Set([...CATALOGUE_ROWS].filter((row) => clientCode.includes(row)));

function tableRows(): string[][] {
  const section = /<!-- registries:start -->\n([\s\S]*?)<!-- registries:end -->/.exec(readme)?.[1];
  expect(section, "README.md has the registries table between its markers").toBeDefined();
  return section!
    .trim()
    .split("\n")
    .slice(2)
    .map((line) => line.replace(/^\| | \|$/g, "").split(" | "));
}

describe("README Registries section", () => {
  const rows = tableRows();
  const guide = personalityGuide();

  it("has one row per personality, in catalogue order, with its title and what the user must configure", () => {
    expect(rows.map((row) => row[0])).toEqual(guide.map((entry) => entry.title));
    expect(rows.map((row) => row[2])).toEqual(guide.map((entry) => entry.userMustConfigure));
  });

  it.each(NAMES)(
    "%s: cites every reproduced row the client handles, and only rows the personality reproduces",
    (name) => {
      const row = rows[NAMES.indexOf(name)]!;
      const cited = new Set([...row[1]!.matchAll(/`([a-z0-9]+(?:-[a-z0-9]+)+)`/g)].map((match) => match[1]!));
      const reproduced = new Set(guide.find((entry) => entry.name === name)!.rows);
      for (const id of cited) expect(reproduced.has(id), `${id} is one of ${name}'s rows`).toBe(true);
      const ownQuirks = PERSONALITIES[name].quirks.flatMap((quirk) => quirk.rows);
      const handled = ownQuirks.filter((id) => CITED.has(id));
      expect(
        handled.filter((id) => !cited.has(id)),
        `rows ${name} reproduces and the client code cites`,
      ).toEqual([]);
    },
  );

  it("names the registries that cannot work by default, and where uploads do not resume, as the matrix finds them", () => {
    for (const name of NAMES) {
      const text = rows[NAMES.indexOf(name)]![1]!;
      expect(text.includes("does not work until"), name).toBe(PLANS[name].refusesByDefault !== undefined);
      expect(text.includes("do not resume"), name).toBe(!PLANS[name].resumes);
    }
  });

  it("cites only catalogue rows in the client code", () => {
    const ids = [...clientCode.matchAll(/registry-quirks: ([a-z0-9-]+)/g)].map((match) => match[1]!);
    expect(ids.filter((id) => !CATALOGUE_ROWS.has(id))).toEqual([]);
    expect(CITED.size).toBeGreaterThan(30);
  });
});
