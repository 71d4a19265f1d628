// Builds the package from the repository's bundled schema: `npm pack` runs it (prepack), and so
// does `npm run build`. Steps: the dev dependencies (`npm ci` when they are missing), a check
// that the bundle routes the words of schemas/command-words.json, the generated sources
// (src/generated/), the schema files (schemas/), then the ESM build
// (dist/esm/) and the CommonJS build (dist/cjs/), each with its type declarations.
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const repository = join(root, "..", "..");
const BUNDLE = join(repository, "dist", "trtc-live-webhooks.schema.json");
/** Per-packet schema files written by `cargo xtask codegen`, once it writes them. */
const DIST_SCHEMAS = join(repository, "dist", "schemas");

function run(command, args) {
  try {
    execFileSync(command, args, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  } catch {
    console.error(`build: ${[command, ...args].join(" ")} failed`);
    process.exit(1);
  }
}

// A clean checkout has no node_modules: install the locked dev dependencies first, so that
// `npm pack` alone builds the tarball.
if (!existsSync(join(root, "node_modules", "typescript", "bin", "tsc"))) {
  run("npm", ["ci", "--no-audit", "--no-fund", "--ignore-scripts"]);
}
const { perPacketSchemas, readBundle, schemaModule, typesModule } = await import("./generate.mjs");

const bundle = readBundle(readFileSync(BUNDLE, "utf8"));

// The command list (schemas/command-words.json) is where the webhooks are named; the bundle,
// written from it by `cargo xtask codegen`, must route exactly its delivered words.
const listed = JSON.parse(readFileSync(join(repository, "schemas", "command-words.json"), "utf8"))
  .command_words.filter((row) => row.delivered).map((row) => row.command).sort();
const routed = bundle.commands.map((command) => command.word).sort();
if (JSON.stringify(listed) !== JSON.stringify(routed)) {
  console.error(`build: the bundle routes ${routed.join(", ")}, but schemas/command-words.json lists ${listed.join(", ")}: run cargo xtask codegen`);
  process.exit(1);
}

// src/generated/: the types and the bundle's text.
const generated = join(root, "src", "generated");
rmSync(generated, { recursive: true, force: true });
mkdirSync(generated, { recursive: true });
writeFileSync(join(generated, "types.ts"), typesModule(bundle));
writeFileSync(join(generated, "schema.ts"), schemaModule(bundle));

// schemas/: the bundle as published, and one self-contained file per packet (from dist/schemas
// when the repository has it, else derived here from the bundle's definitions).
const schemas = join(root, "schemas");
rmSync(schemas, { recursive: true, force: true });
mkdirSync(schemas, { recursive: true });
copyFileSync(BUNDLE, join(schemas, "trtc-live-webhooks.schema.json"));
if (existsSync(DIST_SCHEMAS)) {
  cpSync(DIST_SCHEMAS, schemas, { recursive: true });
} else {
  for (const [path, text] of perPacketSchemas(bundle)) {
    mkdirSync(dirname(join(schemas, path)), { recursive: true });
    writeFileSync(join(schemas, path), text);
  }
}

// The repository's license files, when it has them.
for (const name of readdirSync(repository)) {
  if (/^LICEN[CS]E/i.test(name)) copyFileSync(join(repository, name), join(root, name));
}

// dist/: ESM and CommonJS, each with its declarations.
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
rmSync(join(root, "dist"), { recursive: true, force: true });
run(process.execPath, [tsc, "-p", "tsconfig.json"]);
run(process.execPath, [tsc, "-p", "tsconfig.cjs.json"]);
// The package is ESM ("type": "module"); this marks dist/cjs as CommonJS, for Node and for
// TypeScript's reading of the declarations there.
writeFileSync(join(root, "dist", "cjs", "package.json"), '{\n  "type": "commonjs"\n}\n');
