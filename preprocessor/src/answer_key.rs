//! The answer key, and the book-level names of exercises.
//!
//! A line `{{answer-key}}` anywhere in the book (the `answer-key` kind, a
//! placeholder) becomes a table of every exercise's answer ([`answer_key`]),
//! after all chapters are processed. There, in the question's
//! `**Exercise.**` and in its answer box, an exercise is named by its
//! chapter's section number and its number in the chapter (`Exercise 3.2`,
//! the second exercise of chapter 3; `Exercise 2` in an unnumbered chapter,
//! which the table's chapter column names).

use crate::chapter::Cx;
use crate::diagnostics::Diag;
use crate::exercise::Answer;
use crate::forms::{Body, Closing, Found, InlineSyntax, Kind};
use crate::render::escape_markdown;
use crate::splice::Edit;

/// The placeholder line replaced by the answer key.
pub const ANSWER_KEY: &str = "{{answer-key}}";

/// The answer key's placeholder, `{{answer-key}}` alone on a line: filled
/// by [`fill_book`] once every chapter is processed.
pub const KIND: Kind = Kind {
    name: "answer key",
    fence: None,
    inline: Some(InlineSyntax { keyword: "answer-key", closing: Closing::Marker, in_code: false }),
    body: Body::Marker,
    process: placeholders,
};

/// Checks that each `{{answer-key}}` stands alone on its line.
fn placeholders(cx: &mut Cx, src: &str, found: &[&Found], _: &mut Vec<Edit>) {
    for f in found {
        let line_start = src[..f.range.start].rfind('\n').map_or(0, |j| j + 1);
        let line_end = src[f.range.start..].find('\n').map_or(src.len(), |j| f.range.start + j);
        if src[line_start..line_end].trim() != ANSWER_KEY {
            cx.diags.push(Diag::error(
                f.range.clone(),
                "`{{answer-key}}` must stand alone on its line to become the answer key",
                "not alone on its line",
            ));
        }
    }
}

/// How an exercise is named, in its chapter and in the key: `Exercise 3.2`
/// (the second exercise of the chapter numbered 3), or `Exercise 2` in an
/// unnumbered chapter.
pub fn exercise_name(section: Option<&str>, n: usize) -> String {
    match section {
        Some(s) => format!("Exercise {s}.{n}"),
        None => format!("Exercise {n}"),
    }
}

/// The mark a question opens with, at the start of a line: the book-level
/// step writes the exercise's name into it ([`number_exercises`]).
pub const QUESTION_MARK: &str = "**Exercise.**";

/// Writes each exercise's name into a chapter, once the chapter's section
/// number is known: the `k`-th line that starts with [`QUESTION_MARK`]
/// (the question of the `k`-th exercise, by the book's convention) becomes
/// `**Exercise 3.k.**`, and the self-check of the `k`-th exercise names it
/// the same way. Only the first `count` questions are numbered.
pub fn number_exercises(content: &str, section: Option<&str>, count: usize) -> String {
    let mut out = String::with_capacity(content.len() + 16 * count);
    let mut k = 0;
    for line in content.split_inclusive('\n') {
        let t = line.trim_start();
        if k < count && t.starts_with(QUESTION_MARK) {
            k += 1;
            out.push_str(&line[..line.len() - t.len()]);
            out.push_str(&format!("**{}.**", exercise_name(section, k)));
            out.push_str(&t[QUESTION_MARK.len()..]);
        } else {
            out.push_str(line);
        }
    }
    if section.is_some() {
        for n in 1..=count {
            let from = format!("<span class=\"lemma-exercise-name\">{}</span>", exercise_name(None, n));
            let to = format!("<span class=\"lemma-exercise-name\">{}</span>", exercise_name(section, n));
            out = out.replacen(&from, &to, 1);
        }
    }
    out
}

/// One chapter's answers, for the key.
#[derive(Debug, Clone, PartialEq)]
pub struct ChapterAnswers {
    /// The chapter's name.
    pub chapter: String,
    /// The chapter's section number (`3`, `1.2`), if it has one.
    pub number: Option<String>,
    /// Its path in `src/`, for the link (`softmax.md`).
    pub path: String,
    /// Its exercises' answers.
    pub answers: Vec<Answer>,
}

/// The answer key: a Markdown table, a row per exercise.
pub fn answer_key(chapters: &[ChapterAnswers]) -> String {
    let mut out = String::from("| Chapter | Exercise | Answer |\n|---|---|---|\n");
    for ch in chapters {
        for a in &ch.answers {
            out.push_str(&format!(
                "| {} | [{}]({}#exercise-{}) | {} |\n",
                escape_markdown(&ch.chapter),
                exercise_name(ch.number.as_deref(), a.n),
                ch.path.replace(' ', "%20"),
                a.n,
                a.text.replace('|', "\\|")
            ));
        }
    }
    if chapters.iter().all(|c| c.answers.is_empty()) {
        out = "This book has no exercises.\n".into();
    }
    out
}

/// Fills the answer key into every chapter of `book` that has the
/// placeholder line.
pub fn fill_book(book: &mut mdbook_preprocessor::book::Book, answers: &[ChapterAnswers]) {
    let key = answer_key(answers);
    book.for_each_mut(|item| {
        let mdbook_preprocessor::book::BookItem::Chapter(ch) = item else { return };
        let path = ch.path.as_ref().map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
        if let Some(c) = answers.iter().find(|c| c.path == path && !c.answers.is_empty()) {
            ch.content = number_exercises(&ch.content, c.number.as_deref(), c.answers.len());
        }
        if let Some(c) = fill_answer_key(&ch.content, &key) {
            ch.content = c;
        }
    });
}

/// Replaces every line that is exactly [`ANSWER_KEY`] with the key.
/// Returns `None` when there is no such line.
pub fn fill_answer_key(content: &str, key: &str) -> Option<String> {
    if !content.lines().any(|l| l.trim() == ANSWER_KEY) {
        return None;
    }
    let mut out = String::with_capacity(content.len() + key.len());
    for l in content.split_inclusive('\n') {
        if l.trim() == ANSWER_KEY {
            out.push_str(key);
            if !key.ends_with('\n') && l.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(l);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercise::{Numeric, render};

    #[test]
    fn numbers_questions_and_self_checks() {
        let one = render(1, "4.61", Some(&Numeric { value: "4.6".into(), ..Numeric::default() }), "");
        let two = render(2, "No.", None, "");
        let chapter =
            format!("# T\n\n**Exercise.** Why?\n\n{one}\n\n  **Exercise.** And?\n\n{two}\n\n**Exercise.** Not one.\n");
        let got = number_exercises(&chapter, Some("4"), 2);
        assert!(got.contains("**Exercise 4.1.** Why?") && got.contains("  **Exercise 4.2.** And?"), "{got}");
        assert!(got.contains("**Exercise.** Not one."), "only as many as there are exercises");
        assert!(got.contains("Your answer to <span class=\"lemma-exercise-name\">Exercise 4.1</span>"), "{got}");
        assert!(number_exercises(&chapter, None, 2).contains("**Exercise 2.** And?"));
    }

    #[test]
    fn key() {
        let chapters = vec![
            ChapterAnswers {
                chapter: "Cross-entropy".into(),
                number: Some("3".into()),
                path: "cross_entropy.md".into(),
                answers: vec![Answer { n: 1, text: "4.61".into() }, Answer { n: 2, text: "a | b".into() }],
            },
            ChapterAnswers {
                chapter: "Preface".into(),
                number: None,
                path: "a b/preface.md".into(),
                answers: vec![Answer { n: 1, text: "yes".into() }],
            },
        ];
        let key = answer_key(&chapters);
        expect_test::expect![[r#"
            | Chapter | Exercise | Answer |
            |---|---|---|
            | Cross-entropy | [Exercise 3.1](cross_entropy.md#exercise-1) | 4.61 |
            | Cross-entropy | [Exercise 3.2](cross_entropy.md#exercise-2) | a \| b |
            | Preface | [Exercise 1](a%20b/preface.md#exercise-1) | yes |
        "#]]
        .assert_eq(&key);
        assert_eq!(fill_answer_key("# Key\n\n{{answer-key}}\n", &key).as_deref(), Some(&*format!("# Key\n\n{key}")));
        assert_eq!(fill_answer_key("no key", &key), None);
    }
}
