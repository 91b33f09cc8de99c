//! Text made fit for a workbook: a cell's text (no control characters, within Excel's limit)
//! and a sheet's name. Shared by every annex (the monthly, quarterly and annual workbooks and
//! the logs' sheets), below all of them.

use std::borrow::Cow;

/// Excel's limit on the length of a cell's text, in UTF-16 code units.
pub(crate) const MAX_CELL_UTF16: usize = 32_767;

/// The label in `name` made fit for a sheet name: no `[]:*?/\`, no control characters, no
/// leading or trailing apostrophe, never empty.
pub(crate) fn sheet_base_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_matches('\'').trim();
    if trimmed.is_empty() {
        "Sheet".to_string()
    } else {
        trimmed.to_string()
    }
}

/// The longest prefix of `s` of at most `max` UTF-16 code units, cut at a char boundary.
pub(crate) fn truncate_utf16(s: &str, max: usize) -> &str {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > max {
            return &s[..i];
        }
    }
    s
}

/// Text made safe for a cell: control characters other than tab and newline become U+FFFD
/// (CR LF and a lone CR become a newline), as do the non-characters U+FFFE and U+FFFF;
/// text over Excel's limit is cut and ends in an ellipsis.
pub(crate) fn cell_text(s: &str) -> Cow<'_, str> {
    let bad =
        |c: char| (c.is_control() && c != '\t' && c != '\n') || c == '\u{FFFE}' || c == '\u{FFFF}';
    let mut out: Cow<'_, str> = if s.chars().any(bad) {
        let mut t = String::with_capacity(s.len());
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' => {
                    chars.next_if_eq(&'\n');
                    t.push('\n');
                }
                c if bad(c) => t.push('\u{FFFD}'),
                c => t.push(c),
            }
        }
        Cow::Owned(t)
    } else {
        Cow::Borrowed(s)
    };
    if out.len() > MAX_CELL_UTF16 && out.encode_utf16().count() > MAX_CELL_UTF16 {
        let mut t = truncate_utf16(&out, MAX_CELL_UTF16 - 1).to_string();
        t.push('…');
        out = Cow::Owned(t);
    }
    out
}
