// Compiles every src/*.sol with the pinned solc-js (this folder's own npm install) and
// writes out/<Contract>.json ({ abi, deployedBytecode }) for each concrete contract: the
// runtime code, which the benchmark both deploys (native variant) and runs as a HyVM guest
// (solc-in-HyVM variant). It is the devnet fixtures' build with other settings: evmVersion
// "shanghai" (PUSH0, but no MCOPY or transient storage, which the HyVM refuses), and no
// creation code. Optimizer on with 200 runs, no metadata hash or CBOR trailer, as the
// devnet fixtures and the measurements in shared/design/hyvm.md.
"use strict";

const path = require("path");
const { build } = require("../../compiler/devnet/fixtures/build.js");

build({
  solc: require("solc"),
  srcDir: path.join(__dirname, "src"),
  outDir: path.join(__dirname, "out"),
  evmVersion: "shanghai",
  creationCode: false,
});
