//! The printing rule's tests: tables of value × format → text, rounding,
//! stated numbers and decimal arithmetic, each one snapshot
//! (`UPDATE_EXPECT=1 cargo test` rewrites them).

use expect_test::{Expect, expect};

use super::*;

/// Every format the tables use, with the name an author writes.
fn name(f: Format) -> String {
    match f {
        Format::Auto => "auto".into(),
        Format::Dp(n) => format!("dp={n}"),
        Format::Sig(n) => format!("sig={n}"),
        Format::Pct(n) => format!("pct={n}"),
        Format::Sci(n) => format!("sci={n}"),
    }
}

/// A grid: a row per value (as Rust reads it back), a column per format,
/// each cell `format_num(value, format)`, columns aligned.
fn grid(values: &[f64], formats: &[Format]) -> String {
    let mut rows = vec![std::iter::once("value".to_string()).chain(formats.iter().map(|&f| name(f))).collect()];
    for &v in values {
        rows.push(std::iter::once(format!("{v:?}")).chain(formats.iter().map(|&f| format_num(v, f))).collect());
    }
    align(&rows)
}

/// The rows as text, each column padded to its widest cell (a row may
/// have fewer cells).
fn align(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in rows {
        let cells: Vec<String> = r.iter().zip(&widths).map(|(cell, &w)| format!("{cell:<w$}")).collect();
        out += cells.join("  ").trim_end();
        out += "\n";
    }
    out
}

/// Values of ordinary size, in every format.
#[test]
fn formats() {
    let formats = [
        Format::Auto,
        Format::Dp(0),
        Format::Dp(1),
        Format::Dp(2),
        Format::Dp(3),
        Format::Sig(2),
        Format::Sig(3),
        Format::Pct(0),
        Format::Pct(1),
        Format::Pct(2),
        Format::Sci(2),
        Format::Sci(3),
    ];
    let values = [
        0.6590011388859679,
        0.09931,
        4.0185,
        3.0,
        -4.28e-18,
        4.28e-18,
        0.125,
        0.375,
        0.5,
        1.5,
        2.5,
        -2.5,
        -0.0001,
        0.0,
        -0.0,
        0.97812,
        0.99964,
        1.0,
        -1.0,
        0.0995,
        0.995,
        9.96,
        12.0,
        123.456,
        999.5,
        0.0005,
        0.045,
        -0.0049,
        1e-4,
        9.9995e-5,
        1e-5,
    ];
    check(
        grid(&values, &formats),
        expect![[r#"
        value               auto       dp=0  dp=1   dp=2    dp=3     sig=2                   sig=3                    pct=0   pct=1     pct=2      sci=2     sci=3
        0.6590011388859679  0.659      1     0.7    0.66    0.659    0.66                    0.659                    66%     65.9%     65.90%     6.6e-1    6.59e-1
        0.09931             0.0993     0     0.1    0.10    0.099    0.099                   0.0993                   10%     9.9%      9.93%      9.9e-2    9.93e-2
        4.0185              4.02       4     4.0    4.02    4.019    4.0                     4.02                     402%    401.9%    401.85%    4.0e0     4.02e0
        3.0                 3          3     3.0    3.00    3.000    3.0                     3.00                     300%    300.0%    300.00%    3.0e0     3.00e0
        -4.28e-18           -4.28e-18  0     0.0    0.00    0.000    -0.0000000000000000043  -0.00000000000000000428  0%      0.0%      0.00%      -4.3e-18  -4.28e-18
        4.28e-18            4.28e-18   0     0.0    0.00    0.000    0.0000000000000000043   0.00000000000000000428   0%      0.0%      0.00%      4.3e-18   4.28e-18
        0.125               0.125      0     0.1    0.12    0.125    0.12                    0.125                    12%     12.5%     12.50%     1.2e-1    1.25e-1
        0.375               0.375      0     0.4    0.38    0.375    0.38                    0.375                    38%     37.5%     37.50%     3.8e-1    3.75e-1
        0.5                 0.500      0     0.5    0.50    0.500    0.50                    0.500                    50%     50.0%     50.00%     5.0e-1    5.00e-1
        1.5                 1.50       2     1.5    1.50    1.500    1.5                     1.50                     150%    150.0%    150.00%    1.5e0     1.50e0
        2.5                 2.50       2     2.5    2.50    2.500    2.5                     2.50                     250%    250.0%    250.00%    2.5e0     2.50e0
        -2.5                -2.50      -2    -2.5   -2.50   -2.500   -2.5                    -2.50                    -250%   -250.0%   -250.00%   -2.5e0    -2.50e0
        -0.0001             -0.000100  0     0.0    0.00    0.000    -0.00010                -0.000100                0%      0.0%      -0.01%     -1.0e-4   -1.00e-4
        0.0                 0          0     0.0    0.00    0.000    0.0                     0.00                     0%      0.0%      0.00%      0.0e0     0.00e0
        -0.0                0          0     0.0    0.00    0.000    0.0                     0.00                     0%      0.0%      0.00%      0.0e0     0.00e0
        0.97812             0.978      1     1.0    0.98    0.978    0.98                    0.978                    98%     97.8%     97.81%     9.8e-1    9.78e-1
        0.99964             1.00       1     1.0    1.00    1.000    1.0                     1.00                     100%    100.0%    99.96%     1.0e0     1.00e0
        1.0                 1          1     1.0    1.00    1.000    1.0                     1.00                     100%    100.0%    100.00%    1.0e0     1.00e0
        -1.0                -1         -1    -1.0   -1.00   -1.000   -1.0                    -1.00                    -100%   -100.0%   -100.00%   -1.0e0    -1.00e0
        0.0995              0.0995     0     0.1    0.10    0.100    0.10                    0.0995                   10%     10.0%     9.95%      1.0e-1    9.95e-2
        0.995               0.995      1     1.0    0.99    0.995    0.99                    0.995                    99%     99.5%     99.50%     9.9e-1    9.95e-1
        9.96                9.96       10    10.0   9.96    9.960    10                      9.96                     996%    996.0%    996.00%    1.0e1     9.96e0
        12.0                12         12    12.0   12.00   12.000   12                      12.0                     1200%   1200.0%   1200.00%   1.2e1     1.20e1
        123.456             123        123   123.5  123.46  123.456  123                     123                      12346%  12345.6%  12345.60%  1.2e2     1.23e2
        999.5               1000       1000  999.5  999.50  999.500  1000                    1000                     99950%  99950.0%  99950.00%  1.0e3     1.00e3
        0.0005              0.000500   0     0.0    0.00    0.001    0.00050                 0.000500                 0%      0.1%      0.05%      5.0e-4    5.00e-4
        0.045               0.0450     0     0.0    0.04    0.045    0.045                   0.0450                   4%      4.5%      4.50%      4.5e-2    4.50e-2
        -0.0049             -0.00490   0     0.0    0.00    -0.005   -0.0049                 -0.00490                 0%      -0.5%     -0.49%     -4.9e-3   -4.90e-3
        0.0001              0.000100   0     0.0    0.00    0.000    0.00010                 0.000100                 0%      0.0%      0.01%      1.0e-4    1.00e-4
        9.9995e-5           1.00e-4    0     0.0    0.00    0.000    0.00010                 0.000100                 0%      0.0%      0.01%      1.0e-4    1.00e-4
        1e-5                1.00e-5    0     0.0    0.00    0.000    0.000010                0.0000100                0%      0.0%      0.00%      1.0e-5    1.00e-5
    "#]],
    );
}

/// Large and extreme values, in the formats that stay short for them.
#[test]
fn formats_large() {
    let large = [1234567.0, 2.5e7, 999999.5, 999999.0, 1e6, 1e15 - 1.0, 1e15, 2.5e15, 1e21, -1e21];
    let extreme = [1e300, -1e300, f64::MAX, f64::MIN_POSITIVE, 5e-324, -5e-324];
    let got =
        grid(&large, &[Format::Auto, Format::Dp(0), Format::Sig(2), Format::Pct(0), Format::Sci(2), Format::Sci(3)])
            + "\n"
            + &grid(&extreme, &[Format::Auto, Format::Sci(2), Format::Sci(3)]);
    check(
        got,
        expect![[r#"
            value               auto             dp=0                     sig=2                    pct=0                       sci=2    sci=3
            1234567.0           1234567          1234567                  1234567                  123456700%                  1.2e6    1.23e6
            25000000.0          25000000         25000000                 25000000                 2500000000%                 2.5e7    2.50e7
            999999.5            1000000          1000000                  1000000                  99999950%                   1.0e6    1.00e6
            999999.0            999999           999999                   999999                   99999900%                   1.0e6    1.00e6
            1000000.0           1000000          1000000                  1000000                  100000000%                  1.0e6    1.00e6
            999999999999999.0   999999999999999  999999999999999          999999999999999          99999999999999900%          1.0e15   1.00e15
            1000000000000000.0  1.00e15          1000000000000000         1000000000000000         100000000000000000%         1.0e15   1.00e15
            2500000000000000.0  2.50e15          2500000000000000         2500000000000000         250000000000000000%         2.5e15   2.50e15
            1e21                1.00e21          1000000000000000000000   1000000000000000000000   100000000000000000000000%   1.0e21   1.00e21
            -1e21               -1.00e21         -1000000000000000000000  -1000000000000000000000  -100000000000000000000000%  -1.0e21  -1.00e21

            value                    auto        sci=2      sci=3
            1e300                    1.00e300    1.0e300    1.00e300
            -1e300                   -1.00e300   -1.0e300   -1.00e300
            1.7976931348623157e308   1.80e308    1.8e308    1.80e308
            2.2250738585072014e-308  2.23e-308   2.2e-308   2.23e-308
            5e-324                   4.94e-324   4.9e-324   4.94e-324
            -5e-324                  -4.94e-324  -4.9e-324  -4.94e-324
        "#]],
    );
}

fn check(got: String, expect: Expect) {
    expect.assert_eq(&got);
}

/// The fast paths of `fixed` and `sig_fixed` against the general rule.
#[test]
fn fixed_is_round() {
    let mut values = vec![0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, -0.0001, 1e-300, 1e22, -1e300, f64::MIN_POSITIVE];
    let mut x = 0.000123456789_f64;
    while x < 1e12 {
        values.extend([x, -x, x * 0.999, 1.0 / x]);
        x *= 3.7;
    }
    for v in values {
        for d in 0..8 {
            assert_eq!(fixed(v, d), round(v, -(d as i32)).to_fixed(d), "fixed({v}, {d})");
        }
        if v != 0.0 {
            for n in 1..6 {
                let e = Dec::parse(&format!("{:.*e}", usize::from(n - 1), v)).map(|d| d.magnitude()).unwrap_or(0);
                let decimals = (i32::from(n) - 1 - e).max(0) as usize;
                assert_eq!(sig_fixed(v, n), round(v, -(decimals as i32)).to_fixed(decimals), "sig_fixed({v}, {n})");
            }
        }
    }
}

/// The exact integer path (`scaled`) against `core::fmt`, which it replaces
/// where it can: `fixed_text` is `{v:.d$}`, `round` at a position <= 0 is
/// that text parsed, and `sig_exponent` is the exponent of `{:.*e}`; on
/// random bit patterns, on values near powers of ten and on exact ties.
#[test]
fn scaled_agrees_with_fmt() {
    let mut values = vec![0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 9.995, 99.95, 0.9995, 1e-300, 1e22, 5e-324];
    let mut state: u64 = 0x853c_49e6_748f_ea9b;
    let mut next = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        state
    };
    for _ in 0..20_000 {
        let r = next();
        let v = f64::from_bits(r);
        if v.is_finite() {
            values.push(v);
        }
        // Magnitudes where books live, and ties: k / 2^j.
        let x = (r >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi((next() % 24) as i32 - 12);
        values.push(x);
        values.push(-x);
        values.push((next() % 100_000) as f64 / (1u64 << (next() % 20)) as f64);
    }
    for k in -30..30 {
        let p = 10f64.powi(k);
        values.extend([p, p.next_up(), p.next_down(), p * 0.9995, p * 0.99951, p * 0.99949]);
    }
    for &v in &values {
        for d in [0usize, 1, 2, 3, 4, 6, 9, 15, 20, 27, 28] {
            assert_eq!(fixed_text(v, d), format!("{v:.d$}"), "fixed_text({v:e}, {d})");
            let old = Dec::parse(&format!("{v:.d$}")).unwrap_or_else(|| Dec::new(false, String::new(), 0));
            assert_eq!(round(v, -(d as i32)), old, "round({v:e}, -{d})");
            // `rounds_to` is `round(..) ==` without the rounded decimal.
            let q = -(d as i32);
            let step = Dec::new(false, "1".into(), q);
            let zero = Dec::new(false, String::new(), 0);
            let near = [old.checked_add(&step), old.checked_add(&step.neg()), Some(old.shift(1)), Some(old.shift(-1))];
            for cand in [Some(old.clone()), Some(old.neg()), Some(zero)].into_iter().chain(near).flatten() {
                assert_eq!(rounds_to(v, q, &cand), old == cand, "rounds_to({v:e}, {q}, {cand:?})");
            }
        }
        if v != 0.0 {
            for n in [1u8, 2, 3, 4, 6, 10, 17, 30] {
                let printed = format!("{:.*e}", usize::from(n - 1), v);
                let e: i32 = printed.rsplit_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0);
                match sig_exponent(v, n) {
                    Some(got) => assert_eq!(got, e, "sig_exponent({v:e}, {n}): {printed}"),
                    None => assert!(n > 10 || !(1e-4..1.0).contains(&v.abs()), "sig_exponent({v:e}, {n}) not computed"),
                }
            }
        }
    }
}

/// A multiple of `10^q`: with as many decimals as `10^q` has, or, far from
/// 1, as its digits and exponent (`1e300`).
fn short(d: &Dec, q: i32) -> String {
    if d.is_zero() {
        "0".into()
    } else if (-20..=20).contains(&q) && d.magnitude() <= 20 {
        d.to_fixed(usize::try_from(-i64::from(q)).unwrap_or(0))
    } else {
        format!("{}{}e{}", if d.neg { "-" } else { "" }, d.digits, d.exp)
    }
}

/// `round(v, q)`: the exact value of `v` rounded to a multiple of `10^q`.
#[test]
fn rounds() {
    let cases: &[(f64, i32)] = &[
        (0.6652409557748219, -3),
        (1234.0, 2),
        (1250.0, 2),
        (1350.0, 2),
        (40.0, 2),
        (60.0, 2),
        (50.0, 2),
        (-4.28e-18, -19),
        (0.5, 0),
        (1.5, 0),
        (-2.5, 0),
        (-50.0, 2),
        (-60.0, 2),
        (150.0, 2),
        (250.0, 2),
        (-0.0, 3),
        (0.0, -3),
        (-0.0004, -3),
        (0.6285, -3),
        (1e300, 299),
        (1e300, 301),
        (5e-324, -324),
        (5e-324, -323),
    ];
    let rows: Vec<Vec<String>> =
        cases.iter().map(|&(v, q)| vec![format!("round({v:?}, {q})"), "=".into(), short(&round(v, q), q)]).collect();
    check(
        align(&rows),
        expect![[r#"
            round(0.6652409557748219, -3)  =  0.665
            round(1234.0, 2)               =  1200
            round(1250.0, 2)               =  1200
            round(1350.0, 2)               =  1400
            round(40.0, 2)                 =  0
            round(60.0, 2)                 =  100
            round(50.0, 2)                 =  0
            round(-4.28e-18, -19)          =  -0.0000000000000000043
            round(0.5, 0)                  =  0
            round(1.5, 0)                  =  2
            round(-2.5, 0)                 =  -2
            round(-50.0, 2)                =  0
            round(-60.0, 2)                =  -100
            round(150.0, 2)                =  200
            round(250.0, 2)                =  200
            round(-0.0, 3)                 =  0
            round(0.0, -3)                 =  0
            round(-0.0004, -3)             =  0
            round(0.6285, -3)              =  0.628
            round(1e300, 299)              =  1e300
            round(1e300, 301)              =  0
            round(5e-324, -324)            =  5e-324
            round(5e-324, -323)            =  0
        "#]],
    );
}

/// A stated number: how it parses (style, quantum), or that it does not.
#[test]
fn stated_parse() {
    let texts = [
        "0.629",
        "-1.5",
        "97.1%",
        "97%",
        "4.2e-18",
        "42",
        "-0",
        "0.0",
        "+1",
        "1e400",
        "1e1000",
        "1e1001",
        "1e-1000",
        "1e-1001",
        "1e99999999999",
        "1.50e3",
        "1E3",
        "0.5.4",
        "1e-5%",
        "−1",
        ".5",
        "5.",
        "",
        "abc",
    ];
    let rows: Vec<Vec<String>> = texts
        .iter()
        .map(|t| match Stated::parse(t) {
            Some(s) => vec![format!("{t:?}"), format!("{:?}", s.style), format!("quantum {}", s.quantum())],
            None => vec![format!("{t:?}"), "not a stated number".into()],
        })
        .collect();
    check(
        align(&rows),
        expect![[r#"
        "0.629"          Fixed(3)              quantum -3
        "-1.5"           Fixed(1)              quantum -1
        "97.1%"          Percent(1)            quantum -3
        "97%"            Percent(0)            quantum -2
        "4.2e-18"        Scientific(1, -18)    quantum -19
        "42"             Fixed(0)              quantum 0
        "-0"             Fixed(0)              quantum 0
        "0.0"            Fixed(1)              quantum -1
        "+1"             Fixed(0)              quantum 0
        "1e400"          Scientific(0, 400)    quantum 400
        "1e1000"         Scientific(0, 1000)   quantum 1000
        "1e1001"         not a stated number
        "1e-1000"        Scientific(0, -1000)  quantum -1000
        "1e-1001"        not a stated number
        "1e99999999999"  not a stated number
        "1.50e3"         Scientific(2, 3)      quantum 1
        "1E3"            Scientific(0, 3)      quantum 3
        "0.5.4"          not a stated number
        "1e-5%"          not a stated number
        "−1"             not a stated number
        ".5"             Fixed(1)              quantum -1
        "5."             Fixed(0)              quantum 0
        ""               not a stated number
        "abc"            not a stated number
    "#]],
    );
}

/// A value against a stated number: rounded at the stated digits, does it
/// hold?
#[test]
fn stated() {
    let cases: &[(&str, f64)] = &[
        ("0.629", 0.6285), // 0.6285 in binary is below the tie
        ("0.629", 0.62851),
        ("0.629", 0.6295),
        ("97.1%", 0.9712),
        ("97.1%", 0.9716),
        ("4.0", 4.04),
        ("4.0", 4.06),
        ("0.140", 0.1404),
        ("0.140", 0.1406),
        ("4.2e-18", 4.24e-18),
        ("-4.3e-18", -4.28e-18),
        ("0", -0.2),
        ("12", 12.4),
        ("-0", 0.2),
        ("-0", -0.0),
        ("0.0", -0.04),
        ("97%", 0.965),
        ("97%", 0.975),
        ("1.0e0", 1.04),
        ("5e-324", 5e-324),
        ("1e400", 1e300),
    ];
    let rows: Vec<Vec<String>> = cases
        .iter()
        .map(|&(text, v)| {
            let s = Stated::parse(text).expect("test literal");
            let r = round(v, s.quantum());
            let verdict = if r == s.value { "holds" } else { "differs" };
            vec![format!("{text} vs {v:?}:"), format!("rounds to {}", s.render(&r)), verdict.into()]
        })
        .collect();
    check(
        align(&rows),
        expect![[r#"
        0.629 vs 0.6285:        rounds to 0.628     differs
        0.629 vs 0.62851:       rounds to 0.629     holds
        0.629 vs 0.6295:        rounds to 0.629     holds
        97.1% vs 0.9712:        rounds to 97.1%     holds
        97.1% vs 0.9716:        rounds to 97.2%     differs
        4.0 vs 4.04:            rounds to 4.0       holds
        4.0 vs 4.06:            rounds to 4.1       differs
        0.140 vs 0.1404:        rounds to 0.140     holds
        0.140 vs 0.1406:        rounds to 0.141     differs
        4.2e-18 vs 4.24e-18:    rounds to 4.2e-18   holds
        -4.3e-18 vs -4.28e-18:  rounds to -4.3e-18  holds
        0 vs -0.2:              rounds to 0         holds
        12 vs 12.4:             rounds to 12        holds
        -0 vs 0.2:              rounds to 0         holds
        -0 vs -0.0:             rounds to 0         holds
        0.0 vs -0.04:           rounds to 0.0       holds
        97% vs 0.965:           rounds to 96%       differs
        97% vs 0.975:           rounds to 97%       holds
        1.0e0 vs 1.04:          rounds to 1.0e0     holds
        5e-324 vs 5e-324:       rounds to 5e-324    holds
        1e400 vs 1e300:         rounds to 0e400     differs
    "#]],
    );
}

#[test]
fn decimal_arithmetic() {
    let d = |t: &str| Dec::parse(t).expect("test literal");
    let (a, h) = (d("0.670"), d("0.0005"));
    let lines = [
        format!("0.670 + 0.0005 = {}", a.checked_add(&h).expect("fits").to_fixed(4)),
        format!("0.670 - 0.0005 = {}", a.checked_add(&h.neg()).expect("fits").to_fixed(4)),
        format!("4.3e-18 × 10^18 = {}", d("4.3e-18").shift(18).to_fixed(1)),
        format!("-2 vs -10: {:?}", cmp_dec(&d("-2"), &d("-10"))),
        format!("-0 vs 0: {:?}", cmp_dec(&d("-0"), &d("0"))),
        format!("1e-1000 vs 0: {:?}", cmp_dec(&d("1e-1000"), &d("0"))),
        format!("0.1 + 0.2 = {}", d("0.1").checked_add(&d("0.2")).expect("fits").to_fixed(1)),
        format!("1e300 + 1e-300 fits: {}", d("1e300").checked_add(&d("1e-300")).is_some()),
    ];
    check(
        lines.join("\n") + "\n",
        expect![[r#"
        0.670 + 0.0005 = 0.6705
        0.670 - 0.0005 = 0.6695
        4.3e-18 × 10^18 = 4.3
        -2 vs -10: Greater
        -0 vs 0: Equal
        1e-1000 vs 0: Greater
        0.1 + 0.2 = 0.3
        1e300 + 1e-300 fits: false
    "#]],
    );
}
