//! The devnet's Chainlink price feeds, at the addresses of the mainnet feeds' proxies (the
//! ones `std::chainlink` names), answering the scenario's prices.

use alloy_primitives::{address, Address, I256, U256};
use alloy_sol_types::{sol, SolValue};

use crate::addresses::{token, DAI, DEPLOYER, STETH, USDC, USDT, WBTC, WETH};
use crate::deploy::{DeployError, World};
use crate::fixtures::Contract;
use crate::world_tokens::Prices;

/// A feed: its address, its description (`ETH / USD`), its decimals, and what it prices:
/// one devnet token in USD, or in ether (`quote_eth`).
pub struct Feed {
    /// The mainnet proxy's address.
    pub address: Address,
    /// `BASE / QUOTE`, as the feed's `description()` says.
    pub description: &'static str,
    /// 8 for USD feeds, 18 for ETH feeds.
    pub decimals: u8,
    /// The devnet token it prices.
    pub token: Address,
    /// Priced in ether instead of USD.
    pub quote_eth: bool,
}

/// The feeds, with the mainnet proxy addresses Chainlink publishes for Ethereum (see
/// `stdlib/std/chainlink.ns` for each one's source). WBTC is priced by BTC / USD.
pub const FEEDS: [Feed; 7] = [
    Feed {
        address: address!("5f4eC3Df9cbd43714FE2740f5E3616155c5b8419"),
        description: "ETH / USD",
        decimals: 8,
        token: WETH,
        quote_eth: false,
    },
    Feed {
        address: address!("F4030086522a5bEEa4988F8cA5B36dbC97BeE88c"),
        description: "BTC / USD",
        decimals: 8,
        token: WBTC,
        quote_eth: false,
    },
    Feed {
        address: address!("8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6"),
        description: "USDC / USD",
        decimals: 8,
        token: USDC,
        quote_eth: false,
    },
    Feed {
        address: address!("3E7d1eAB13ad0104d2750B8863b489D65364e32D"),
        description: "USDT / USD",
        decimals: 8,
        token: USDT,
        quote_eth: false,
    },
    Feed {
        address: address!("Aed0c38402a5d19df6E4c03F4E2DceD6e29c1ee9"),
        description: "DAI / USD",
        decimals: 8,
        token: DAI,
        quote_eth: false,
    },
    Feed {
        address: address!("CfE54B5cD566aB89272946F602D76Ea879CAb4a8"),
        description: "STETH / USD",
        decimals: 8,
        token: STETH,
        quote_eth: false,
    },
    Feed {
        address: address!("86392dC19c0b719886221c78AB11eb8Cf5c52812"),
        description: "STETH / ETH",
        decimals: 18,
        token: STETH,
        quote_eth: true,
    },
];

sol! {
    interface ISeedFeed {
        function setAnswer(int256 answer) external;
    }
}

/// Deploys every feed at its address and sets its answer from `prices`.
pub(crate) fn deploy_feeds(world: &mut World, prices: &Prices) -> Result<(), DeployError> {
    let weth = token(WETH).ok_or(DeployError::UnknownToken(WETH))?;
    for feed in &FEEDS {
        let priced = token(feed.token).ok_or(DeployError::UnknownToken(feed.token))?;
        let args = (
            DEPLOYER,
            U256::from(feed.decimals),
            feed.description.to_string(),
        )
            .abi_encode_params();
        world.deploy_at(Contract::ChainlinkFeed, &args, feed.address)?;
        let ten = U256::from(10u64);
        // Millionths of a USD per whole token, to the feed's decimals and quote.
        let answer = if feed.quote_eth {
            prices.micro_usd(priced) * ten.pow(U256::from(feed.decimals)) / prices.micro_usd(weth)
        } else {
            prices.micro_usd(priced) * ten.pow(U256::from(feed.decimals)) / U256::from(1_000_000u64)
        };
        let set = ISeedFeed::setAnswerCall {
            answer: I256::try_from(answer).unwrap_or(I256::MAX),
        };
        let step = format!("set the {} feed", feed.description);
        world.send_call(&step, DEPLOYER, feed.address, U256::ZERO, set)?;
    }
    Ok(())
}
