//! Snapshots of figures and of their located errors.

use expect_test::{Expect, expect};

/// A lemma block through the chapter pipeline: the output, or the errors
/// (range in the chapter, the text there, the message).
fn check(block: &str, expect: Expect) {
    let src = format!("```lemma\n{block}\n```\n");
    let out = crate::chapter::process(&src);
    let mut got = String::new();
    for d in &out.diags {
        got.push_str(&format!("{:?} `{}`: {}\n", d.range, &src[d.range.clone()], d.message));
    }
    if out.diags.is_empty() {
        got = out.content;
    }
    expect.assert_eq(&got);
}

#[test]
fn bars() {
    check(
        "plot bars([2, 1], labels=[\"a\", \"b\"], title=\"Two bars\", ylabel=\"value\")",
        expect![[r#"
            <figure class="lemma-plot"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 280" role="img" class="lp-svg" font-size="12"><title>Two bars</title><desc>Bar chart: 2 bars for a, b. Values from 1 to 2.</desc><g class="lp-grid"><line x1="58" x2="464" y1="234" y2="234"></line><line x1="58" x2="464" y1="189.6" y2="189.6"></line><line x1="58" x2="464" y1="145.2" y2="145.2"></line><line x1="58" x2="464" y1="100.8" y2="100.8"></line><line x1="58" x2="464" y1="56.4" y2="56.4"></line><line x1="58" x2="464" y1="12" y2="12"></line></g><g class="lp-axis"><line x1="58" x2="464" y1="234" y2="234"></line><line x1="58" x2="58" y1="234" y2="12"></line><line x1="54" x2="58" y1="234" y2="234"></line><text x="51" y="238" text-anchor="end">0.0</text><line x1="54" x2="58" y1="189.6" y2="189.6"></line><text x="51" y="193.6" text-anchor="end">0.5</text><line x1="54" x2="58" y1="145.2" y2="145.2"></line><text x="51" y="149.2" text-anchor="end">1.0</text><line x1="54" x2="58" y1="100.8" y2="100.8"></line><text x="51" y="104.8" text-anchor="end">1.5</text><line x1="54" x2="58" y1="56.4" y2="56.4"></line><text x="51" y="60.4" text-anchor="end">2.0</text><line x1="54" x2="58" y1="12" y2="12"></line><text x="51" y="16" text-anchor="end">2.5</text><text class="lp-label" x="261" y="270" text-anchor="middle"></text><text class="lp-label" transform="translate(14 123) rotate(-90)" text-anchor="middle">value</text></g><rect class="lp-bar lp-s0" x="78.3" y="56.4" width="149.4" height="177.6"></rect><text x="153" y="52.4" text-anchor="middle">2</text><text class="lp-cat" x="159.5" y="250" text-anchor="middle">a</text><rect class="lp-bar lp-s0" x="281.3" y="145.2" width="149.4" height="88.8"></rect><text x="356" y="141.2" text-anchor="middle">1</text><text class="lp-cat" x="362.5" y="250" text-anchor="middle">b</text></svg><figcaption>Two bars</figcaption><details class="lp-data"><summary>The data of this figure</summary><table><tr><th scope="col">bar</th><th scope="col">value</th></tr><tr><th scope="row">a</th><td>2</td></tr><tr><th scope="row">b</th><td>1</td></tr></table></details></figure>
        "#]],
    );
}

#[test]
fn grouped_bars_sample_a_name() {
    check(
        "z = [1, 0]\nplot bars(softmax(z, T=t), for=t, in=[1, 2], labels=[\"a\", \"b\"], title=\"Grouped\")",
        expect![[r#"
            <figure class="lemma-plot"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 304" role="img" class="lp-svg" font-size="12"><title>Grouped</title><desc>Bar chart: 4 bars for a, b, in 2 series: t &#61; 1, t &#61; 2. Values from 0.269 to 0.731.</desc><g class="lp-grid"><line x1="58" x2="464" y1="258" y2="258"></line><line x1="58" x2="464" y1="213.6" y2="213.6"></line><line x1="58" x2="464" y1="169.2" y2="169.2"></line><line x1="58" x2="464" y1="124.8" y2="124.8"></line><line x1="58" x2="464" y1="80.4" y2="80.4"></line><line x1="58" x2="464" y1="36" y2="36"></line></g><g class="lp-axis"><line x1="58" x2="464" y1="258" y2="258"></line><line x1="58" x2="58" y1="258" y2="36"></line><line x1="54" x2="58" y1="258" y2="258"></line><text x="51" y="262" text-anchor="end">0.0</text><line x1="54" x2="58" y1="213.6" y2="213.6"></line><text x="51" y="217.6" text-anchor="end">0.2</text><line x1="54" x2="58" y1="169.2" y2="169.2"></line><text x="51" y="173.2" text-anchor="end">0.4</text><line x1="54" x2="58" y1="124.8" y2="124.8"></line><text x="51" y="128.8" text-anchor="end">0.6</text><line x1="54" x2="58" y1="80.4" y2="80.4"></line><text x="51" y="84.4" text-anchor="end">0.8</text><line x1="54" x2="58" y1="36" y2="36"></line><text x="51" y="40" text-anchor="end">1.0</text><text class="lp-label" x="261" y="294" text-anchor="middle"></text><text class="lp-label" transform="translate(14 147) rotate(-90)" text-anchor="middle"></text></g><rect class="lp-bar lp-s0" x="78.3" y="95.7" width="74.7" height="162.3"></rect><text x="115.7" y="91.7" text-anchor="middle">0.731</text><rect class="lp-bar lp-s1" x="159.5" y="119.8" width="74.7" height="138.2"></rect><text x="196.9" y="115.8" text-anchor="middle">0.622</text><text class="lp-cat" x="159.5" y="274" text-anchor="middle">a</text><rect class="lp-bar lp-s0" x="281.3" y="198.3" width="74.7" height="59.7"></rect><text x="318.7" y="194.3" text-anchor="middle">0.269</text><rect class="lp-bar lp-s1" x="362.5" y="174.2" width="74.7" height="83.8"></rect><text x="399.9" y="170.2" text-anchor="middle">0.378</text><text class="lp-cat" x="362.5" y="274" text-anchor="middle">b</text><rect class="lp-bar lp-s0" x="58" y="4" width="12" height="12"></rect><text x="80" y="14">t &#61; 1</text><rect class="lp-bar lp-s1" x="132" y="4" width="12" height="12"></rect><text x="154" y="14">t &#61; 2</text></svg><figcaption>Grouped</figcaption><details class="lp-data"><summary>The data of this figure</summary><table><tr><th scope="col">bar</th><th scope="col">t &#61; 1</th><th scope="col">t &#61; 2</th></tr><tr><th scope="row">a</th><td>0.731</td><td>0.622</td></tr><tr><th scope="row">b</th><td>0.269</td><td>0.378</td></tr></table></details></figure>
        "#]],
    );
}

#[test]
fn lines_with_marked_points() {
    check(
        "plot lines(-ln(p), for=p, in=linspace(0.25, 1, 4), points=[0.5], notes=[\"half\"], title=\"Loss\", xlabel=\"p\", ylabel=\"loss\")",
        expect![[r#"
            <figure class="lemma-plot"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 280" role="img" class="lp-svg" font-size="12"><title>Loss</title><desc>Line chart of 1 line (loss) for p from 0.250 to 1; values from 0 to 1.39. Marked: half at x &#61; 0.500, y &#61; 0.693.</desc><g class="lp-grid"><line x1="58" x2="464" y1="234" y2="234"></line><line x1="58" x2="464" y1="160" y2="160"></line><line x1="58" x2="464" y1="86" y2="86"></line><line x1="58" x2="464" y1="12" y2="12"></line></g><g class="lp-axis"><line x1="58" x2="464" y1="234" y2="234"></line><line x1="58" x2="58" y1="234" y2="12"></line><line x1="54" x2="58" y1="234" y2="234"></line><text x="51" y="238" text-anchor="end">0.0</text><line x1="54" x2="58" y1="160" y2="160"></line><text x="51" y="164" text-anchor="end">0.5</text><line x1="54" x2="58" y1="86" y2="86"></line><text x="51" y="90" text-anchor="end">1.0</text><line x1="54" x2="58" y1="12" y2="12"></line><text x="51" y="16" text-anchor="end">1.5</text><line x1="58" x2="58" y1="234" y2="238"></line><text x="58" y="250" text-anchor="middle">0.2</text><line x1="159.5" x2="159.5" y1="234" y2="238"></line><text x="159.5" y="250" text-anchor="middle">0.4</text><line x1="261" x2="261" y1="234" y2="238"></line><text x="261" y="250" text-anchor="middle">0.6</text><line x1="362.5" x2="362.5" y1="234" y2="238"></line><text x="362.5" y="250" text-anchor="middle">0.8</text><line x1="464" x2="464" y1="234" y2="238"></line><text x="464" y="250" text-anchor="middle">1.0</text><text class="lp-label" x="261" y="270" text-anchor="middle">p</text><text class="lp-label" transform="translate(14 123) rotate(-90)" text-anchor="middle">loss</text></g><polyline class="lp-line lp-s0 lp-d0" points="83.4,28.8 210.2,131.4 337.1,191.4 464,234"></polyline><circle class="lp-pt lp-s0" cx="210.2" cy="131.4" r="4"></circle><text class="lp-note" x="218.2" y="123.4" text-anchor="start">half: 0.693</text></svg><figcaption>Loss</figcaption><details class="lp-data"><summary>The data of this figure</summary><table><tr><th scope="col">p</th><th scope="col">loss</th></tr><tr><th scope="row">0.250</th><td>1.39</td></tr><tr><th scope="row">0.500</th><td>0.693</td></tr><tr><th scope="row">0.750</th><td>0.288</td></tr><tr><th scope="row">1</th><td>0</td></tr></table><table><tr><th scope="col">marked point</th><th scope="col">line</th><th scope="col">p</th><th scope="col">loss</th></tr><tr><th scope="row">half</th><td>loss</td><td>0.500</td><td>0.693</td></tr></table></details></figure>
        "#]],
    );
}

#[test]
fn log_axis_and_several_lines() {
    check(
        "plot lines(softmax([1, 0], T=t), for=t, in=logspace(-1, 1, 3), xscale=\"log\", labels=[\"a\", \"b\"], title=\"T\")",
        expect![[r#"
            <figure class="lemma-plot"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 304" role="img" class="lp-svg" font-size="12"><title>T</title><desc>Line chart of 2 lines (a, b) for x from 0.100 to 10 on a log scale; values from 4.54e-5 to 1.00.</desc><g class="lp-grid"><line x1="58" x2="464" y1="258" y2="258"></line><line x1="58" x2="464" y1="213.6" y2="213.6"></line><line x1="58" x2="464" y1="169.2" y2="169.2"></line><line x1="58" x2="464" y1="124.8" y2="124.8"></line><line x1="58" x2="464" y1="80.4" y2="80.4"></line><line x1="58" x2="464" y1="36" y2="36"></line></g><g class="lp-axis"><line x1="58" x2="464" y1="258" y2="258"></line><line x1="58" x2="58" y1="258" y2="36"></line><line x1="54" x2="58" y1="258" y2="258"></line><text x="51" y="262" text-anchor="end">0.0</text><line x1="54" x2="58" y1="213.6" y2="213.6"></line><text x="51" y="217.6" text-anchor="end">0.2</text><line x1="54" x2="58" y1="169.2" y2="169.2"></line><text x="51" y="173.2" text-anchor="end">0.4</text><line x1="54" x2="58" y1="124.8" y2="124.8"></line><text x="51" y="128.8" text-anchor="end">0.6</text><line x1="54" x2="58" y1="80.4" y2="80.4"></line><text x="51" y="84.4" text-anchor="end">0.8</text><line x1="54" x2="58" y1="36" y2="36"></line><text x="51" y="40" text-anchor="end">1.0</text><line x1="58" x2="58" y1="258" y2="262"></line><text x="58" y="274" text-anchor="middle">0.1</text><line x1="119.1" x2="119.1" y1="258" y2="262"></line><text x="119.1" y="274" text-anchor="middle">0.2</text><line x1="199.9" x2="199.9" y1="258" y2="262"></line><text x="199.9" y="274" text-anchor="middle">0.5</text><line x1="261" x2="261" y1="258" y2="262"></line><text x="261" y="274" text-anchor="middle">1</text><line x1="322.1" x2="322.1" y1="258" y2="262"></line><text x="322.1" y="274" text-anchor="middle">2</text><line x1="402.9" x2="402.9" y1="258" y2="262"></line><text x="402.9" y="274" text-anchor="middle">5</text><line x1="464" x2="464" y1="258" y2="262"></line><text x="464" y="274" text-anchor="middle">10</text><text class="lp-label" x="261" y="294" text-anchor="middle"></text><text class="lp-label" transform="translate(14 147) rotate(-90)" text-anchor="middle"></text></g><polyline class="lp-line lp-s0 lp-d0" points="58,36 261,95.7 464,141.5"></polyline><polyline class="lp-line lp-s1 lp-d1" points="58,258 261,198.3 464,152.5"></polyline><line class="lp-line lp-s0 lp-d0" x1="58" x2="76" y1="10" y2="10"></line><text x="80" y="14">a</text><line class="lp-line lp-s1 lp-d1" x1="103.2" x2="121.2" y1="10" y2="10"></line><text x="125.2" y="14">b</text></svg><figcaption>T</figcaption><details class="lp-data"><summary>The data of this figure</summary><table><tr><th scope="col">x</th><th scope="col">a</th><th scope="col">b</th></tr><tr><th scope="row">0.100</th><td>1.00</td><td>4.54e-5</td></tr><tr><th scope="row">1</th><td>0.731</td><td>0.269</td></tr><tr><th scope="row">10</th><td>0.525</td><td>0.475</td></tr></table></details></figure>
        "#]],
    );
}

#[test]
fn histogram_and_reliability() {
    check(
        "plot histogram([1, 2, 2, 3, 3, 3], bins=2, title=\"H\")",
        expect![[r#"
        <figure class="lemma-plot"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 280" role="img" class="lp-svg" font-size="12"><title>H</title><desc>Histogram of 6 values in 2 bins from 1 to 3; the fullest bin holds 5.</desc><g class="lp-grid"><line x1="58" x2="464" y1="234" y2="234"></line><line x1="58" x2="464" y1="189.6" y2="189.6"></line><line x1="58" x2="464" y1="145.2" y2="145.2"></line><line x1="58" x2="464" y1="100.8" y2="100.8"></line><line x1="58" x2="464" y1="56.4" y2="56.4"></line><line x1="58" x2="464" y1="12" y2="12"></line></g><g class="lp-axis"><line x1="58" x2="464" y1="234" y2="234"></line><line x1="58" x2="58" y1="234" y2="12"></line><line x1="54" x2="58" y1="234" y2="234"></line><text x="51" y="238" text-anchor="end">0</text><line x1="54" x2="58" y1="189.6" y2="189.6"></line><text x="51" y="193.6" text-anchor="end">1</text><line x1="54" x2="58" y1="145.2" y2="145.2"></line><text x="51" y="149.2" text-anchor="end">2</text><line x1="54" x2="58" y1="100.8" y2="100.8"></line><text x="51" y="104.8" text-anchor="end">3</text><line x1="54" x2="58" y1="56.4" y2="56.4"></line><text x="51" y="60.4" text-anchor="end">4</text><line x1="54" x2="58" y1="12" y2="12"></line><text x="51" y="16" text-anchor="end">5</text><line x1="58" x2="58" y1="234" y2="238"></line><text x="58" y="250" text-anchor="middle">1.0</text><line x1="159.5" x2="159.5" y1="234" y2="238"></line><text x="159.5" y="250" text-anchor="middle">1.5</text><line x1="261" x2="261" y1="234" y2="238"></line><text x="261" y="250" text-anchor="middle">2.0</text><line x1="362.5" x2="362.5" y1="234" y2="238"></line><text x="362.5" y="250" text-anchor="middle">2.5</text><line x1="464" x2="464" y1="234" y2="238"></line><text x="464" y="250" text-anchor="middle">3.0</text><text class="lp-label" x="261" y="270" text-anchor="middle"></text><text class="lp-label" transform="translate(14 123) rotate(-90)" text-anchor="middle">count</text></g><rect class="lp-bar lp-s0" x="58" y="189.6" width="203" height="44.4"></rect><rect class="lp-bar lp-s0" x="261" y="12" width="203" height="222"></rect></svg><figcaption>H</figcaption><details class="lp-data"><summary>The data of this figure</summary><table><tr><th scope="col">from</th><th scope="col">to</th><th scope="col">count</th></tr><tr><th scope="row">1</th><td>2</td><td>1</td></tr><tr><th scope="row">2</th><td>3</td><td>5</td></tr></table></details></figure>
    "#]],
    );
    check(
        "plot reliability([0.9, 0.8, 0.3], [1, 0, 0], bins=2, title=\"R\")",
        expect![[r#"
            <figure class="lemma-plot"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 322" role="img" class="lp-svg" font-size="12"><title>R</title><desc>Reliability diagram: the accuracy of 3 predictions in each of 2 confidence bins, against the diagonal of perfect calibration.</desc><g class="lp-grid"><line x1="58" x2="464" y1="276" y2="276"></line><line x1="58" x2="464" y1="231.6" y2="231.6"></line><line x1="58" x2="464" y1="187.2" y2="187.2"></line><line x1="58" x2="464" y1="142.8" y2="142.8"></line><line x1="58" x2="464" y1="98.4" y2="98.4"></line><line x1="58" x2="464" y1="54" y2="54"></line></g><g class="lp-axis"><line x1="58" x2="464" y1="276" y2="276"></line><line x1="58" x2="58" y1="276" y2="54"></line><line x1="54" x2="58" y1="276" y2="276"></line><text x="51" y="280" text-anchor="end">0.0</text><line x1="54" x2="58" y1="231.6" y2="231.6"></line><text x="51" y="235.6" text-anchor="end">0.2</text><line x1="54" x2="58" y1="187.2" y2="187.2"></line><text x="51" y="191.2" text-anchor="end">0.4</text><line x1="54" x2="58" y1="142.8" y2="142.8"></line><text x="51" y="146.8" text-anchor="end">0.6</text><line x1="54" x2="58" y1="98.4" y2="98.4"></line><text x="51" y="102.4" text-anchor="end">0.8</text><line x1="54" x2="58" y1="54" y2="54"></line><text x="51" y="58" text-anchor="end">1.0</text><line x1="58" x2="58" y1="276" y2="280"></line><text x="58" y="292" text-anchor="middle">0.0</text><line x1="139.2" x2="139.2" y1="276" y2="280"></line><text x="139.2" y="292" text-anchor="middle">0.2</text><line x1="220.4" x2="220.4" y1="276" y2="280"></line><text x="220.4" y="292" text-anchor="middle">0.4</text><line x1="301.6" x2="301.6" y1="276" y2="280"></line><text x="301.6" y="292" text-anchor="middle">0.6</text><line x1="382.8" x2="382.8" y1="276" y2="280"></line><text x="382.8" y="292" text-anchor="middle">0.8</text><line x1="464" x2="464" y1="276" y2="280"></line><text x="464" y="292" text-anchor="middle">1.0</text><text class="lp-label" x="261" y="312" text-anchor="middle">confidence</text><text class="lp-label" transform="translate(14 165) rotate(-90)" text-anchor="middle">accuracy</text></g><rect class="lp-bar lp-s0" x="59" y="276" width="201" height="0"></rect><rect class="lp-bar lp-s0" x="262" y="165" width="201" height="111"></rect><rect class="lp-gap lp-s2" x="59" y="209.4" width="201" height="66.6"></rect><rect class="lp-gap lp-s2" x="262" y="87.3" width="201" height="77.7"></rect><line class="lp-diag lp-s1" x1="58" y1="276" x2="464" y2="54"></line><rect class="lp-bar lp-s0" x="58" y="4" width="12" height="12"></rect><text x="80" y="14">accuracy</text><line class="lp-diag lp-s1" x1="153.6" x2="171.6" y1="10" y2="10"></line><text x="175.6" y="14">perfect calibration</text><rect class="lp-gap lp-s2" x="58" y="22" width="12" height="12"></rect><text x="80" y="32">gap to mean confidence</text></svg><figcaption>R</figcaption><details class="lp-data"><summary>The data of this figure</summary><table><tr><th scope="col">from</th><th scope="col">to</th><th scope="col">predictions</th><th scope="col">mean confidence</th><th scope="col">accuracy</th></tr><tr><th scope="row">0</th><td>0.500</td><td>1</td><td>0.300</td><td>0</td></tr><tr><th scope="row">0.500</th><td>1</td><td>2</td><td>0.850</td><td>0.500</td></tr></table></details></figure>
        "#]],
    );
}

#[test]
fn errors_are_located() {
    check(
        "plot bars([1, 2], labels=[\"a\"], title=\"x\")\n\
         plot bars([1, 2], [1, 2, 3], title=\"x\")\n\
         plot bars([1, 2], colour=1, title=\"x\")\n\
         plot bars([1, 2])\n\
         plot pie([1, 2], title=\"x\")\n\
         plot bars([0, 2], yscale=\"log\", title=\"x\")\n\
         plot lines(-ln(p), for=p, in=[0.5, 0.5], title=\"x\")\n\
         plot lines(ln(p), for=p, in=[0, 1], title=\"x\")\n\
         plot lines(1/p, for=p, in=[0, 1], title=\"x\")\n\
         plot lines(p, for=p, in=[-1, 1], xscale=\"log\", title=\"x\")\n\
         plot lines(p, for=2, in=[1, 2], title=\"x\")\n\
         plot lines(p, in=[1, 2], title=\"x\")\n\
         plot lines(p, title=\"x\")\n\
         plot lines(p, for=p, in=[1, 2], points=[3], title=\"x\")\n\
         plot lines(p, for=p, in=[1, 2], xscale=\"cubic\", title=\"x\")\n\
         plot histogram([1, 1], title=\"x\")\n\
         plot histogram([1, 2], bins=0, title=\"x\")\n\
         plot reliability([0.5, 0.7], [1], title=\"x\")\n\
         plot reliability([1.5], [1], title=\"x\")\n\
         plot 3",
        expect![[r#"
            34..39 `["a"]`: 1 `labels` given for 2 bars: give one per bar
            70..79 `[1, 2, 3]`: 3 values, but the first series has 2
            117..118 `1`: `plot bars` has no argument `colour` (it takes title, desc, xlabel, ylabel, labels, series, for, in, yscale)
            136..148 `bars([1, 2])`: `plot bars` is missing its argument `title`
            154..157 `pie`: unknown chart `pie` (the charts are `bars`, `lines`, `histogram`, `reliability`)
            187..193 `[0, 2]`: a log axis needs positive values, and this gives 0
            249..259 `[0.5, 0.5]`: the x values span an empty range: give at least two different values
            286..287 `p`: `ln` needs a positive number, got 0
            332..333 `p`: division by zero
            388..395 `[-1, 1]`: a log axis needs positive values, and this gives -1
            440..441 `2`: `for` takes a name, the variable to sample (`for=t`)
            482..488 `[1, 2]`: `in` needs `for=NAME`, the name to bind
            506..525 `lines(p, title="x")`: `lines` needs `for=NAME, in=VECTOR`: the x axis to sample
            565..568 `[3]`: point 0 is at x = 3, outside the x range
            620..627 `"cubic"`: `xscale` is "linear" or "log", not "cubic"
            655..661 `[1, 1]`: the bins span an empty range (1 to 1): give `lo` and `hi`
            702..703 `0`: `bins` is a whole number from 1 to 200, got 0
            745..748 `[1]`: 1 outcomes for 2 confidences: give one per prediction
            778..783 `[1.5]`: a confidence is a probability, from 0 to 1; got 1.5
            806..807 `3`: expected a chart: `bars`, `lines`, `histogram`, `reliability`
        "#]],
    );
}

#[test]
fn numbers_in_strings_are_claims() {
    let src = "```lemma\nplot bars([1, 2], title=\"p at T = 0.5\", labels=[\"a\", \"b\"])\n```\n";
    let opts = crate::chapter::Options { unchecked: crate::Setting::Deny };
    let out = crate::chapter::process_with(src, &opts);
    let got: Vec<String> = out.diags.iter().map(|d| format!("{:?} {}", d.range, d.message)).collect();
    expect![[r#"
        [
            "43..46 the number `0.5` is not computed or checked by lemma",
        ]
    "#]]
    .assert_debug_eq(&got);
}

mod properties {
    use proptest::prelude::*;

    use super::super::svg::{Bin, Chart, Figure, Point, Scale, render};

    /// Numbers of every size, with the awkward ones (NaN and infinities too) often.
    fn num() -> impl Strategy<Value = f64> {
        prop_oneof![
            -10.0..10.0f64,
            Just(0.0),
            Just(-0.0),
            Just(f64::MAX),
            Just(f64::MIN),
            Just(f64::MIN_POSITIVE),
            Just(5e-324),
            Just(f64::NAN),
            Just(f64::INFINITY),
            (-1e300..1e300f64),
            (-30i32..30).prop_map(|e| 10f64.powi(e)),
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![Just(String::new()), "[a-z<>&\"'= \n]{0,12}", any::<String>(), "[\u{0}-\u{1f}\u{7f}\u{fffe}]{1,3}"]
    }

    fn scale() -> impl Strategy<Value = Scale> {
        prop_oneof![Just(Scale::Linear), Just(Scale::Log)]
    }

    fn chart() -> impl Strategy<Value = Chart> {
        prop_oneof![
            (1usize..6, 1usize..4).prop_flat_map(|(n, s)| {
                (
                    proptest::collection::vec(text(), n),
                    proptest::collection::vec((text(), proptest::collection::vec(num(), n)), s),
                )
                    .prop_map(|(categories, series)| Chart::Bars { categories, series })
            }),
            (2usize..20, 1usize..4).prop_flat_map(|(n, s)| {
                (
                    proptest::collection::vec(num(), n),
                    proptest::collection::vec((text(), proptest::collection::vec(num(), n)), s),
                    proptest::collection::vec((0..s, num(), num(), text()), 0..3),
                )
                    .prop_map(|(x, series, pts)| Chart::Lines {
                        x,
                        series,
                        points: pts.into_iter().map(|(line, x, y, note)| Point { line, x, y, note }).collect(),
                    })
            }),
            (1usize..8).prop_flat_map(|n| {
                (proptest::collection::vec(num(), n + 1), proptest::collection::vec(0.0..1e6f64, n))
                    .prop_map(|(edges, counts)| Chart::Histogram { edges, counts })
            }),
            (
                proptest::collection::vec((0usize..50, proptest::option::of((0.0..=1.0f64, 0.0..=1.0f64))), 1..12),
                proptest::bool::ANY,
            )
                .prop_map(|(b, live)| Chart::Reliability {
                    bins: b
                        .into_iter()
                        .map(|(count, ac)| Bin { count, accuracy: ac.map(|x| x.0), confidence: ac.map(|x| x.1) })
                        .collect(),
                    live,
                }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Any figure renders or says why not, without a panic; what it
        /// renders is one line of well-formed XML whose strings are escaped.
        #[test]
        fn random_figures_render_balanced_on_one_line(
            chart in chart(), title in text(), desc in text(), xlabel in text(), ylabel in text(),
            xscale in scale(), yscale in scale(),
        ) {
            let fig = Figure { chart, title, desc, xlabel, ylabel, xscale, yscale };
            if let Ok(html) = render(&fig) {
                prop_assert!(!html.contains('\n') && !html.contains('\r'), "one line");
                let doc = roxmltree::Document::parse(&html);
                prop_assert!(doc.is_ok(), "well-formed: {:?}\n{html}", doc.err());
                // The title reads back as it was (but for forbidden characters, replaced).
                let plain = !fig.title.chars().any(|c| c.is_control() || ('\u{FFFE}'..='\u{FFFF}').contains(&c));
                if let (true, Ok(doc)) = (plain, &doc) {
                    let t = doc.descendants().find(|n| n.has_tag_name("title")).and_then(|n| n.text()).unwrap_or_default();
                    prop_assert_eq!(t, fig.title.as_str());
                }
            }
        }

        /// Random data through the `plot` statement: a figure or located
        /// errors inside the chapter, never a panic.
        #[test]
        fn random_plot_statements_never_panic(
            xs in proptest::collection::vec(-1e6..1e6f64, 0..8),
            ys in proptest::collection::vec(-1e6..1e6f64, 0..8),
            kind in 0usize..5, bins in 0u32..12,
        ) {
            let v = |v: &[f64]| format!("[{}]", v.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>().join(", "));
            let stmt = match kind {
                0 => format!("plot bars({}, {}, title=\"t\")", v(&xs), v(&ys)),
                1 => format!("plot lines(x * 2, for=x, in={}, yscale=\"log\", title=\"t\")", v(&xs)),
                2 => format!("plot histogram({}, bins={bins}, title=\"t\")", v(&xs)),
                3 => format!("plot reliability({}, {}, bins={bins}, title=\"t\")", v(&xs), v(&ys)),
                _ => format!("plot lines(exp(x), for=x, in={}, points={}, title=\"t\")", v(&xs), v(&ys)),
            };
            let src = format!("```lemma\n{stmt}\n```\n");
            let out = crate::chapter::process(&src);
            for d in &out.diags {
                prop_assert!(d.range.end <= src.len() && d.range.start <= d.range.end);
            }
            if out.diags.is_empty() {
                prop_assert_eq!(out.content.trim_end().lines().count(), 1, "one line");
            }
        }
    }
}

/// A reliability diagram bins as `ece` does: bin m of M holds the
/// confidences in ((m-1)/M, m/M], so one exactly on a boundary is in the
/// lower bin (here 0.25, 0.5 and 0.75 of four bins, and 1 in the last).
#[test]
fn reliability_bins_as_ece_does() {
    let src = "```lemma\nplot reliability([0.25, 0.5, 0.75, 1, 0.8], [1, 0, 1, 1, 0], bins=4, title=\"R\")\n```\n";
    let out = crate::chapter::process(src);
    assert!(out.diags.is_empty(), "{:?}", out.diags);
    let table = format!("<details{}", out.content.split("<details").nth(1).unwrap_or_default());
    expect![[r#"
        <details class="lp-data"><summary>The data of this figure</summary><table><tr><th scope="col">from</th><th scope="col">to</th><th scope="col">predictions</th><th scope="col">mean confidence</th><th scope="col">accuracy</th></tr><tr><th scope="row">0</th><td>0.250</td><td>1</td><td>0.250</td><td>1</td></tr><tr><th scope="row">0.250</th><td>0.500</td><td>1</td><td>0.500</td><td>0</td></tr><tr><th scope="row">0.500</th><td>0.750</td><td>1</td><td>0.750</td><td>1</td></tr><tr><th scope="row">0.750</th><td>1</td><td>2</td><td>0.900</td><td>0.500</td></tr></table></details></figure>
    "#]]
    .assert_eq(&table);
}
