// The local node for nest-devnet's fork-mode test: Hardhat's in-process chain, served over
// JSON-RPC by `npx hardhat node`. Nothing is compiled; the test deploys the devnet fixtures.
module.exports = {
  networks: {
    hardhat: {
      chainId: 31337,
      hardfork: "cancun",
      mining: { auto: true },
    },
  },
};
