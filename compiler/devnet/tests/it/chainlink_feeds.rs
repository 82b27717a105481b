//! The devnet's Chainlink feeds: one at each mainnet feed address `std::chainlink` names,
//! answering the scenario's prices, always fresh; only the devnet may set an answer.

use crate::support::*;

use alloy_primitives::{aliases::U80, I256};

sol! {
    interface IFeed {
        function decimals() external view returns (uint8);
        function description() external view returns (string);
        function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80);
        function getRoundData(uint80 roundId) external view returns (uint80, int256, uint256, uint256, uint80);
        function latestAnswer() external view returns (int256);
        function setAnswer(int256 answer) external;
    }
}

const ETH_USD: Address = address!("5f4eC3Df9cbd43714FE2740f5E3616155c5b8419");
const BTC_USD: Address = address!("F4030086522a5bEEa4988F8cA5B36dbC97BeE88c");
const USDC_USD: Address = address!("8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6");
const USDT_USD: Address = address!("3E7d1eAB13ad0104d2750B8863b489D65364e32D");
const DAI_USD: Address = address!("Aed0c38402a5d19df6E4c03F4E2DceD6e29c1ee9");
const STETH_USD: Address = address!("CfE54B5cD566aB89272946F602D76Ea879CAb4a8");
const STETH_ETH: Address = address!("86392dC19c0b719886221c78AB11eb8Cf5c52812");

fn answer(world: &World, feed: Address) -> I256 {
    view(world, feed, IFeed::latestAnswerCall {})
}

fn int(n: u64) -> I256 {
    I256::try_from(n).expect("small")
}

#[test]
fn every_feed_answers_the_default_prices() {
    let world = devnet().world();
    for (feed, description, decimals, price) in [
        (ETH_USD, "ETH / USD", 8, int(3_000 * 100_000_000)),
        (BTC_USD, "BTC / USD", 8, int(60_000 * 100_000_000)),
        (USDC_USD, "USDC / USD", 8, int(100_000_000)),
        (USDT_USD, "USDT / USD", 8, int(100_000_000)),
        (DAI_USD, "DAI / USD", 8, int(100_000_000)),
        (STETH_USD, "STETH / USD", 8, int(3_000 * 100_000_000)),
        (STETH_ETH, "STETH / ETH", 18, int(1_000_000_000_000_000_000)),
    ] {
        assert_eq!(view(world, feed, IFeed::descriptionCall {}), description);
        assert_eq!(view(world, feed, IFeed::decimalsCall {}), decimals);
        assert_eq!(answer(world, feed), price, "{description}");
        let round = view(world, feed, IFeed::latestRoundDataCall {});
        assert_eq!(round._1, price);
        // Always fresh: updated in the current block.
        assert_eq!(round._3, world.block.timestamp);
        assert_eq!(round._0, round._4);
    }
}

#[test]
fn feeds_follow_scenario_prices_and_stay_fresh_after_the_clock_moves() {
    let mut devnet = Devnet::new(&scenario(
        "[prices]\nWETH = \"3456.78\"\nUSDC = \"0.9998\"\n",
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer(devnet.world(), ETH_USD), int(345_678_000_000));
    assert_eq!(answer(devnet.world(), USDC_USD), int(99_980_000));
    // stETH follows ether in USD, and stays at par in ether.
    assert_eq!(answer(devnet.world(), STETH_USD), int(345_678_000_000));
    assert_eq!(
        answer(devnet.world(), STETH_ETH),
        int(1_000_000_000_000_000_000)
    );
    devnet.advance(86_400, 7_200);
    let round = view(devnet.world(), ETH_USD, IFeed::latestRoundDataCall {});
    assert_eq!(round._3, U256::from(devnet.clock().1));
}

#[test]
fn only_the_devnet_sets_an_answer_and_past_rounds_have_no_data() {
    let mut world = devnet().world().clone();
    world.set_balance(TRADER, U256::from(10u64).pow(U256::from(18)));
    let data = revert_data(
        &mut world,
        TRADER,
        ETH_USD,
        IFeed::setAnswerCall { answer: int(1) },
    );
    assert_eq!(reason(&data), "only the devnet sets prices");
    let latest = view(&world, ETH_USD, IFeed::latestRoundDataCall {})._0;
    let same = view(&world, ETH_USD, IFeed::getRoundDataCall { roundId: latest });
    assert_eq!(same._1, answer(&world, ETH_USD));
    let data = revert_data(
        &mut world,
        TRADER,
        ETH_USD,
        IFeed::getRoundDataCall {
            roundId: U80::from(99u8),
        },
    );
    assert_eq!(reason(&data), "No data present");
}
