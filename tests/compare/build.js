// Compiles every src/*.sol with the pinned solc-js and writes out/<Contract>.json
// ({ abi, deployedBytecode }) for each concrete contract: the runtime code, which the
// benchmark both deploys (native variant) and runs as a HyVM guest (solc-in-HyVM variant).
// Settings are fixed so the output is reproducible: optimizer on with 200 runs (as the
// devnet fixtures and the measurements in shared/design/hyvm.md), no metadata hash or
// CBOR trailer, and evmVersion "shanghai": PUSH0 but no MCOPY or transient storage,
// which the HyVM refuses.
"use strict";

const fs = require("fs");
const path = require("path");
const solc = require("solc");

const SRC_DIR = path.join(__dirname, "src");
const OUT_DIR = path.join(__dirname, "out");

function readSources() {
  const sources = {};
  for (const file of fs.readdirSync(SRC_DIR).filter((f) => f.endsWith(".sol")).sort()) {
    sources[`src/${file}`] = { content: fs.readFileSync(path.join(SRC_DIR, file), "utf8") };
  }
  return sources;
}

function compile(sources) {
  const input = {
    language: "Solidity",
    sources,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "shanghai",
      metadata: { bytecodeHash: "none", appendCBOR: false },
      outputSelection: {
        "*": {
          "": ["ast"],
          "*": ["abi", "evm.deployedBytecode.object"],
        },
      },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  for (const e of output.errors || []) {
    console.error(e.formattedMessage);
  }
  if ((output.errors || []).some((e) => e.severity === "error")) {
    process.exit(1);
  }
  return output;
}

// Names of the concrete contracts (not interfaces, libraries or abstract contracts) of a source.
function concreteContracts(ast) {
  return ast.nodes
    .filter((n) => n.nodeType === "ContractDefinition" && n.contractKind === "contract" && !n.abstract)
    .map((n) => n.name);
}

function main() {
  const sources = readSources();
  const output = compile(sources);
  fs.rmSync(OUT_DIR, { recursive: true, force: true });
  fs.mkdirSync(OUT_DIR);
  for (const source of Object.keys(sources)) {
    for (const name of concreteContracts(output.sources[source].ast)) {
      const contract = output.contracts[source][name];
      const artifact = {
        abi: contract.abi,
        deployedBytecode: `0x${contract.evm.deployedBytecode.object}`,
      };
      fs.writeFileSync(path.join(OUT_DIR, `${name}.json`), `${JSON.stringify(artifact, null, 2)}\n`);
      console.log(`${name}: ${contract.evm.deployedBytecode.object.length / 2} bytes of runtime code`);
    }
  }
  console.log(`solc ${solc.version()}`);
}

main();
