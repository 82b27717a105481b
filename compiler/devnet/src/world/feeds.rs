//! The devnet's Chainlink price feeds, at the addresses of the mainnet feeds' proxies (the
//! ones `std::chainlink` names, listed in `crate::addresses::FEEDS`), answering the
//! scenario's prices.

use alloy_primitives::{I256, U256};
use alloy_sol_types::{sol, SolValue};

use super::tokens::Prices;
use super::World;
use crate::addresses::{token, DEPLOYER, FEEDS, WETH};
use crate::error::DeployError;
use crate::fixtures::Contract;

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
