//! Named regression cases: messy Markdown through `chapter::process`.
//!
//! Each case prints the chapter after lemma (with `\r` and a byte order mark
//! made visible), or `(unchanged)`, then one line per diagnostic.

use expect_test::{Expect, expect};
use mdbook_lemma::chapter;

use crate::util::visible;

fn check(input: &str, expect: Expect) {
    let out = chapter::process(input);
    let mut got = if out.content == input { "(unchanged)\n".to_string() } else { visible(&out.content) };
    for d in &out.diags {
        got.push_str(&format!("error {}..{}: {}\n", d.range.start, d.range.end, d.message));
    }
    expect.assert_eq(&got);
}

#[test]
fn crlf_line_endings() {
    check(
        "a {{lemma 1 + 1}}\r\nb\r\n",
        expect![[r#"
        a 2\r
        b\r
    "#]],
    );
    check(
        "```lemma\r\nx = 2\r\nshow x as \"x\"\r\n```\r\nafter {{lemma x}}\r\n",
        expect![[r#"
        <div class="lemma-table"><table><thead><tr><th scope="col">x</th></tr></thead><tbody><tr><td class="num">2</td></tr></tbody></table></div>\r
        \r
        after 2\r
    "#]],
    );
    check(
        "> ```lemma\r\n> show [1, 2] as \"v\"\r\n> ```\r\n> after\r\n",
        expect![[r#"
        > <div class="lemma-table"><table><thead><tr><th scope="col">v</th></tr></thead><tbody><tr><td class="num">1</td></tr><tr><td class="num">2</td></tr></tbody></table></div>\r
        >\r
        > after\r
    "#]],
    );
    check(
        "```lemma echo\r\nx = 2\r\n```\r\n",
        expect![[r#"
        ```text\r
        x = 2\r
        ```\r
    "#]],
    );
}

#[test]
fn byte_order_mark() {
    check(
        "\u{feff}# T\n\n{{lemma 1 + 1}}\n",
        expect![[r#"
        <BOM># T

        2
    "#]],
    );
    check(
        "\u{feff}```lemma\nshow [1] as \"v\"\n```\n",
        expect![[r#"
        <BOM><div class="lemma-table"><table><thead><tr><th scope="col">v</th></tr></thead><tbody><tr><td class="num">1</td></tr></tbody></table></div>
    "#]],
    );
    check(
        "\u{feff}no forms, {{lemma\n",
        expect![[r#"
        (unchanged)
        error 13..20: this inline lemma form is not closed with `}}` on the same line
    "#]],
    );
}

#[test]
fn blocks_in_list_items() {
    check(
        "- item\n\n  ```lemma\n  show [1, 2] as \"v\"\n  ```\n  after\n- next\n",
        expect![[r#"
        - item

          <div class="lemma-table"><table><thead><tr><th scope="col">v</th></tr></thead><tbody><tr><td class="num">1</td></tr><tr><td class="num">2</td></tr></tbody></table></div>

          after
        - next
    "#]],
    );
    check(
        "1. one\n2. ```lemma\n   show [1] as \"v\"\n   ```\n3. three\n",
        expect![[r#"
        1. one
        2. <div class="lemma-table"><table><thead><tr><th scope="col">v</th></tr></thead><tbody><tr><td class="num">1</td></tr></tbody></table></div>

        3. three
    "#]],
    );
    check(
        "- a\n  - b\n    ```lemma echo\n    x = 1\n    ```\n",
        expect![[r#"
        - a
          - b
            ```text
            x = 1
            ```
    "#]],
    );
}

#[test]
fn blocks_in_blockquotes() {
    check(
        "> ```lemma\n> show [1] as \"v\"\n> ```\n",
        expect![[r#"
        > <div class="lemma-table"><table><thead><tr><th scope="col">v</th></tr></thead><tbody><tr><td class="num">1</td></tr></tbody></table></div>
    "#]],
    );
    check(
        "> > ```lemma\n> > show [1] as \"v\"\n> > ```\n> > tail\n",
        expect![[r#"
        > > <div class="lemma-table"><table><thead><tr><th scope="col">v</th></tr></thead><tbody><tr><td class="num">1</td></tr></tbody></table></div>
        > >
        > > tail
    "#]],
    );
    check(
        "> - a\n>   > ```lemma\n>   > show [1, 2] as \"v\"\n>   > ```\n>   > tail\n",
        expect![[r#"
        > - a
        >   > <div class="lemma-table"><table><thead><tr><th scope="col">v</th></tr></thead><tbody><tr><td class="num">1</td></tr><tr><td class="num">2</td></tr></tbody></table></div>
        >   >
        >   > tail
    "#]],
    );
    check(
        "- > ```lemma\n  > x = 3\n  > ```\n  > {{lemma x}}\n",
        expect![[r#"
        - > 
          > 3
    "#]],
    );
}

#[test]
fn fence_kinds() {
    check(
        "~~~lemma\nx = 1\n~~~\n{{lemma x}}\n",
        expect![[r#"

        1
    "#]],
    );
    check(
        "````lemma\nx = 1\n````\n{{lemma x}}\n",
        expect![[r#"

        1
    "#]],
    );
    check(
        "````lemma echo\ns = \"```\"\n````\n",
        expect![[r#"
        ````text
        s = "```"
        ````
    "#]],
    );
    check(
        "~~~~ lemma\nx = 1\n~~~\n~~~~\n",
        expect![[r#"
        (unchanged)
        error 17..18: unexpected character `~`
    "#]],
    );
    check(
        "```lemma,echo\nx = 1\n```\n",
        expect![[r#"
        ```text
        x = 1
        ```
    "#]],
    );
    check(
        "p\n\n   ```lemma\n   show [1] as \"v\"\n   ```\nq\n",
        expect![[r#"
        p

           <div class="lemma-table"><table><thead><tr><th scope="col">v</th></tr></thead><tbody><tr><td class="num">1</td></tr></tbody></table></div>

        q
    "#]],
    );
}

#[test]
fn forms_in_code() {
    // Inline forms are evaluated inside code, and written verbatim there.
    check(
        "`{{lemma [1, 2]}}`\n",
        expect![[r#"
        `[1, 2]`
    "#]],
    );
    check(
        "```rust\nlet z = {{lemma [1, 2]}};\n```\n",
        expect![[r#"
        ```rust
        let z = [1, 2];
        ```
    "#]],
    );
    check(
        "p\n\n    indented {{lemma 2 * 3}}\n",
        expect![[r#"
        p

            indented 6
    "#]],
    );
    // A backslash writes the form literally, in prose and in code.
    check(
        "\\{{lemma 1}} and `\\{{lemma 1}}`\n",
        expect![[r#"
        {{lemma 1}} and `{{lemma 1}}`
    "#]],
    );
    check(
        "```text\n\\{{lemma 1}}\n```\n",
        expect![[r#"
        ```text
        {{lemma 1}}
        ```
    "#]],
    );
    // Lemma-looking text that is not a form.
    check(
        "{{lemmas}} {{ lemma 1}} {lemma 1}\n",
        expect![[r#"
            (unchanged)
            error 0..8: `{{lemmas` is not a lemma form, so it would be shown raw: write `{{lemma`
            error 11..19: `{{ lemma` is not a lemma form, so it would be shown raw: write `{{lemma`
        "#]],
    );
}

#[test]
fn unclosed_fences() {
    check(
        "```lemma\nx = 1\n",
        expect![[r#"
        (unchanged)
        error 0..8: this lemma block is never closed: add a closing fence
    "#]],
    );
    check(
        "```\n{{lemma 1 + 1}}\n",
        expect![[r#"
        ```
        2
    "#]],
    );
    check(
        "- ```lemma\n  x = 1\n- b\n",
        expect![[r#"
        (unchanged)
        error 2..10: this lemma block is never closed: add a closing fence
    "#]],
    );
}

#[test]
fn html_blocks() {
    check(
        "<div>\n{{lemma [1, 2]}}\n</div>\n",
        expect![[r#"
        <div>
        [1, 2]
        </div>
    "#]],
    );
    check(
        "<table><tr><td>{{lemma \"a*b\"}}</td></tr></table>\n",
        expect![[r#"
        <table><tr><td>a*b</td></tr></table>
    "#]],
    );
    check(
        "<div>\n\n```lemma\nshow [1] as \"v\"\n```\n\n</div>\n",
        expect![[r#"
        <div>

        <div class="lemma-table"><table><thead><tr><th scope="col">v</th></tr></thead><tbody><tr><td class="num">1</td></tr></tbody></table></div>

        </div>
    "#]],
    );
    check(
        "<!-- {{lemma 1 + 1}} -->\n",
        expect![[r#"
        <!-- 2 -->
    "#]],
    );
    check(
        "a <span title=\"{{lemma \"x\"}}\">b</span>\n",
        expect![[r#"
        a <span title="x">b</span>
    "#]],
    );
}

#[test]
fn tables() {
    check(
        "| a | b |\n|---|---|\n| {{lemma [1, 2]}} | {{lemma \"x|y\"}} |\n",
        expect![[r#"
        | a | b |
        |---|---|
        | \[1, 2\] | x\|y |
    "#]],
    );
    check(
        "| a |\n|---|\n| `{{lemma \"x|y\"}}` |\n",
        expect![[r#"
        | a |
        |---|
        | `x\|y` |
    "#]],
    );
    check(
        "| {{lemma 1}} | b |\n|---|---|\n",
        expect![[r#"
        | 1 | b |
        |---|---|
    "#]],
    );
}

#[test]
fn headings_and_links() {
    check(
        "# p = {{lemma 0.5}}\n",
        expect![[r#"
        # p = 0.500
    "#]],
    );
    check(
        "Setext {{lemma 1}}\n===\n",
        expect![[r#"
        Setext 1
        ===
    "#]],
    );
    check(
        "[{{lemma 1}}](x.md)\n",
        expect![[r#"
        [1](x.md)
    "#]],
    );
}

#[test]
fn unusual_text() {
    check(
        "",
        expect![[r#"
        (unchanged)
    "#]],
    );
    check(
        "{{lemma",
        expect![[r#"
        (unchanged)
        error 0..7: this inline lemma form is not closed with `}}` on the same line
    "#]],
    );
    check(
        "{{lemma}}",
        expect![[r#"
        (unchanged)
        error 7..7: expected an expression, found end of input
    "#]],
    );
    check(
        "{{lemma 1}}{{lemma 2}}",
        expect![[r#"
        (unchanged)
        error 0..13: `{{` right after this value changes the number a reader sees: put a space or punctuation between them, or compute the whole number inside the form (`; pct=N` writes a percentage)
    "#]],
    );
    check("{{lemma 1 }}}", expect!["1}"]);
    check("{{lemma \"}}\"}}", expect![[r#"\}\}"#]]);
    check(
        "héllo {{lemma 1}} wörld ✓\n",
        expect![[r#"
        héllo 1 wörld ✓
    "#]],
    );
    check("a\rb {{lemma 1}}\r", expect![[r#"a\rb 1\r"#]]);
}

#[test]
fn values_that_would_break_code() {
    // In inline code in a table row, `|` is escaped so the row stays whole.
    check(
        "```lemma\ns = \"x|y\"\n```\n| a |\n|---|\n| `{{lemma s}}` |\n",
        expect![[r#"

        | a |
        |---|
        | `x\|y` |
    "#]],
    );
    check(
        "```lemma\ns = \"x|y\"\n```\n| a |\n|---|\n| <span title=\"{{lemma s}}\">b</span> |\n",
        expect![[r#"

        | a |
        |---|
        | <span title="x&#124;y">b</span> |
    "#]],
    );
    // What would end the code around it is an error, not written.
    check(
        "```lemma\ns = \"a`b\"\n```\n`{{lemma s}}`\n",
        expect![[r#"
        (unchanged)
        error 32..33: this value contains a backtick, which could end the code around it: it cannot be shown inside code
    "#]],
    );
    check(
        "```lemma\ns = \"~~~\"\n```\n~~~\n{{lemma s}}\n~~~\n",
        expect![[r#"
        (unchanged)
        error 35..36: this value contains `~~~`, which could close the code block around it: it cannot be shown inside code
    "#]],
    );
    check(
        "```lemma\ns = \"a`b\"\n```\nprose {{lemma s}}\n",
        expect![[r#"

        prose a\`b
    "#]],
    );
}

#[test]
fn values_in_attributes() {
    check(
        "```lemma\ns = \"\\\"><b>\"\n```\na <span title=\"{{lemma s}}\">b</span> {{lemma s}}\n",
        expect![[r#"

        a <span title="&quot;&gt;&lt;b&gt;">b</span> &quot;&gt;&lt;b&gt;
    "#]],
    );
    check(
        "```lemma\ns = \"'><b>\"\n```\n<div title='{{lemma s}}'>b</div>\n",
        expect![[r#"

        <div title='&#39;&gt;&lt;b&gt;'>b</div>
    "#]],
    );
}

#[test]
fn values_at_line_start() {
    // A value at the start of a line does not open a list, a heading or a rule.
    check(
        "```lemma\nv = [\"- x\", \"1. y\", \"===\", \"-1\", \"+\"]\n```\n{{lemma v[0]}}\n\n{{lemma v[1]}}\n\np\n{{lemma v[2]}}\n\n{{lemma v[3]}} {{lemma v[4]}}\n",
        expect![[r#"

            \- x

            1\. y

            p
            &#61;&#61;&#61;

            −1 \+
        "#]],
    );
}

#[test]
fn string_escapes() {
    // `\"` and `\\` are the only escapes; a string cannot hold a line break.
    check(
        "{{lemma \"a\\\"b\\\\c\"}}\n",
        expect![[r#"
        a&quot;b\\c
    "#]],
    );
    check(
        "{{lemma \"a\\nb\"}}\n",
        expect![[r#"
        (unchanged)
        error 10..12: unknown escape `\n` in a string (only `\"` and `\\` are escapes; a string is one line)
    "#]],
    );
    check(
        "```lemma\ns = \"tab\\t\"\n```\n",
        expect![[r#"
        (unchanged)
        error 17..19: unknown escape `\t` in a string (only `\"` and `\\` are escapes; a string is one line)
    "#]],
    );
    // `}}` inside a string does not end the inline form.
    check(
        "{{lemma \"}}\"}} and {{lemma \"{{lemma 1}}\"}}\n",
        expect![[r#"
        \}\} and \{\{lemma 1\}\}
    "#]],
    );
    check(
        "{{lemma \"}}}}\n",
        expect![[r#"
        (unchanged)
        error 8..9: unterminated string
    "#]],
    );
    // Smart punctuation would turn these into dashes and an ellipsis.
    check(
        "{{lemma \"a--b...c\"}}\n",
        expect![[r#"
        a\-\-b\.\.\.c
    "#]],
    );
}

#[test]
fn limits() {
    let deep = |open: &str, close: &str, n: usize| format!("{{{{lemma {}1{}}}}}", open.repeat(n), close.repeat(n));
    // At the nesting limit (counted per operand) the form still works; past it, an error.
    check(&deep("(", ")", 98), expect!["1"]);
    check(&deep("(", ")", 99), expect!["1"]);
    check(
        &deep("(", ")", 100_000),
        expect![[r#"
        (unchanged)
        error 108..109: this expression is nested more than 100 levels deep
    "#]],
    );
    check(
        &deep("[", "]", 100_000),
        expect![[r#"
        (unchanged)
        error 108..109: this expression is nested more than 100 levels deep
    "#]],
    );
    check(
        &deep("-", "", 100_000),
        expect![[r#"
        (unchanged)
        error 108..109: this expression is nested more than 100 levels deep
    "#]],
    );
    check(
        &deep("2^", "", 100_000),
        expect![[r#"
        (unchanged)
        error 208..209: this expression is nested more than 100 levels deep
    "#]],
    );
    check(
        &deep("len([", "])", 100_000),
        expect![[r#"
        (unchanged)
        error 258..261: this expression is nested more than 100 levels deep
    "#]],
    );
    // Huge numbers and vectors: errors, not infinities or huge pages.
    check(
        "{{lemma 10^400}} {{lemma 1e400}} {{lemma 1e-400}}",
        expect![[r#"
        (unchanged)
        error 8..14: this expression is infinite (it overflows f64)
        error 25..30: this expression is infinite (it overflows f64)
        error 41..47: `1e-400` is too small for a 64-bit float: it would be 0
    "#]],
    );
    check(
        "{{lemma range(1000000)}} {{lemma len(range(1000000))}}",
        expect![[r#"
        (unchanged)
        error 8..22: this value has at least 1000000 entries, more than lemma shows (10000)
    "#]],
    );
    check(
        "{{lemma range(10000000)}}",
        expect![[r#"
        (unchanged)
        error 14..22: `range` needs a whole number from 0 to 1000000, got 10000000
    "#]],
    );
    check(
        "```lemma\nshow range(1000000) as \"i\"\n```\n",
        expect![[r#"
        (unchanged)
        error 14..28: this table has at least 1000000 entries, more than lemma shows (10000)
    "#]],
    );
    check(
        "```lemma\nshow for i in range(1000000): i, range(1000000)\n```\n",
        expect![[r#"
        (unchanged)
        error 23..37: this table has at least 2000000 entries, more than lemma shows (10000)
    "#]],
    );
    check(
        "```lemma\nshow for i in range(100): range(1000)\n```\n",
        expect![[r#"
        (unchanged)
        error 35..46: this table has at least 11000 entries, more than lemma shows (10000)
    "#]],
    );
    check(
        "{{lemma 1e308 * 10; dp=30}} {{lemma 1e308; dp=30}}",
        expect![[r#"
        (unchanged)
        error 8..18: this expression is infinite (it overflows f64)
    "#]],
    );
    check(
        "{{lemma 5e-324; sci=30}} {{lemma 0.1 ≈ 1e-2147483648}} {{lemma 0.1 ≈ 1e2147483647}}",
        expect![[r#"
        (unchanged)
        error 41..54: `1e-2147483648` is too small for a 64-bit float: it would be 0
        error 73..85: `1e2147483647` is not a stated number (a decimal, a percentage or scientific)
    "#]],
    );
}

#[test]
fn very_fine_stated_numbers() {
    // 70,000 stated decimals: rounding that fine is exact, and must not
    // reach a `format!` precision above u16::MAX (a panic). 0.5 is exact in
    // binary; 0.1 is not, so its 70,000 decimals do not hold.
    let zeros = "0".repeat(70_000);
    let got = chapter::process(&format!("{{{{lemma 0.5 ≈ 0.5{zeros}}}}} {{{{lemma 0.1 ≈ 0.1{zeros}}}}}"));
    let messages: Vec<String> = got.diags.iter().map(|d| d.message.chars().take(30).collect()).collect();
    expect![[r#"
        [
            "stated 0.100000000000000000000",
        ]
    "#]]
    .assert_debug_eq(&messages);
}

#[test]
fn memory_and_time_stay_bounded() {
    // Every vector a chapter computes counts towards `eval::MAX_COMPONENTS`
    // (20 million): the 21st `range(1000000)` is an error, wherever it is.
    let many = vec!["sum(range(1000000))"; 21].join(", ");
    check(
        &format!("{{{{lemma len([{many}])}}}}"),
        expect![[r#"
            (unchanged)
            error 437..451: this chapter computes more than 20000000 vector components and matrix cells in all: too much for a page
        "#]],
    );
    let lines: String = (0..21).map(|i| format!("a{i} = range(1000000)\n")).collect();
    check(
        &format!("```lemma\n{lines}```\n"),
        expect![[r#"
            (unchanged)
            error 425..439: this chapter computes more than 20000000 vector components and matrix cells in all: too much for a page
        "#]],
    );
}
