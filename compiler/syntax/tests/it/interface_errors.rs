//! `error Name(T a, …);` declarations in interface bodies.

use nest_syntax::ast::ItemKind;
use nest_syntax::sexpr::to_sexpr;

#[test]
fn errors_are_parsed_beside_functions() {
    let tree = crate::common::parse_clean(
        "errors.ns",
        "interface IComet {\n    /// The account would be under-collateralised.\n    error NotCollateralized();\n    function withdraw(address asset, uint256 amount);\n    error AllowanceExpired(uint256 deadline, address);\n}\n",
    );
    insta::assert_snapshot!(to_sexpr(&tree), @r#"
    (interface IComet
      (function withdraw (address asset, uint256 amount))
      (doc "The account would be under-collateralised.")
      (error NotCollateralized ())
      (error AllowanceExpired (uint256 deadline, address))
    )
    "#);
    let ItemKind::Interface(i) = &tree.items[0].kind else {
        panic!("not an interface");
    };
    assert_eq!(i.errors.len(), 2);
    assert_eq!(i.errors[1].params[1].name, None);
}

#[test]
fn a_broken_error_is_skipped_to_its_semicolon() {
    let (tree, diags, _) = crate::common::parse_named(
        "broken.ns",
        "interface I {\n    error Bad(uint256 a) external;\n    error Good(uint256 a);\n}\n",
    );
    assert!(!diags.is_empty());
    let ItemKind::Interface(i) = &tree.items[0].kind else {
        panic!("not an interface");
    };
    assert_eq!(i.errors.len(), 1);
    assert_eq!(i.errors[0].name.name, "Good");
}
