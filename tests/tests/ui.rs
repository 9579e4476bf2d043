//! trybuild suites for `#[async_channel]`: accepted shapes run, rejected ones
//! fail with the error committed next to them (`ui/fail/*.stderr`).
//!
//! Regenerate the snapshots after a deliberate change with
//! `TRYBUILD=overwrite cargo test -p diatomic-tests --test ui`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}
