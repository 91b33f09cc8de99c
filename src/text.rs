//! The text a ticket carries (id, school, category, subcategory, summary), kept small.
//!
//! A year's export has a million tickets but only tens to hundreds of schools and categories,
//! and the same summaries again and again ("Wachtwoord vergeten"). A `String` per field cost
//! 24 bytes plus a heap block of at least 32 bytes, five times per ticket. A [`Text`] is 16
//! bytes: a text of up to 15 bytes sits inside it, a longer one in a shared, reference-counted
//! block, and an [`Interner`] hands out the same block for the same text while a file's rows
//! are made into tickets. Equality, order and hash are by content, so sharing is invisible:
//! a `Text` reads like a `&str` (`Deref`, `as_str`, `Display`) and serializes as a plain
//! string.

use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;

use ecow::EcoString;
use serde::{Serialize, Serializer};

/// An immutable text: up to 15 bytes inline, longer ones in a shared block (cloning one costs
/// a reference count, not a copy).
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(EcoString);

impl Text {
    /// The longest text held inside the value itself, without a heap block.
    pub const INLINE: usize = EcoString::INLINE_LIMIT;

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.0.as_str()
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.0.as_str()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(EcoString::from(s))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(EcoString::from(s))
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Hands out one shared [`Text`] per distinct text, for the rows of one file (or one chunk of
/// it). Texts that fit inline are not kept (sharing saves nothing there). Its memory is
/// bounded: after [`Interner::CAPACITY`] distinct texts it keeps no new ones (later texts
/// still find the ones it has); the texts it holds are those of the tickets made, so what it
/// costs itself is its table, at most about 0.6 MB, and it is dropped when the file is read.
#[derive(Default)]
pub struct Interner {
    known: HashSet<Text, foldhash::fast::FixedState>,
}

impl Interner {
    /// The most distinct texts one interner keeps. The repeating texts of a year's export
    /// (schools, categories, subcategories, the common summaries) are far fewer and appear
    /// early; a file of only distinct summaries stops growing the table here.
    /// 28,672 is seven eighths of 32,768: the table's most buckets (16 bytes and a control
    /// byte each, about 0.6 MB).
    pub const CAPACITY: usize = 28_672;

    /// `s` as a [`Text`], sharing the block of an equal text met before.
    pub fn text(&mut self, s: &str) -> Text {
        if s.len() <= Text::INLINE {
            return Text::from(s);
        }
        if let Some(known) = self.known.get(s) {
            return known.clone();
        }
        let text = Text::from(s);
        if self.known.len() < Self::CAPACITY {
            self.known.insert(text.clone());
        }
        text
    }

    /// How many distinct texts it keeps.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_sixteen_bytes_and_reads_like_its_string() {
        assert_eq!(std::mem::size_of::<Text>(), 16);
        let t = Text::from("Basisschool De Regenboog");
        assert_eq!(t, "Basisschool De Regenboog");
        assert_eq!(t.as_str(), "Basisschool De Regenboog");
        assert_eq!(t.len(), 24);
        assert_eq!(format!("{t}|{t:?}"), "Basisschool De Regenboog|\"Basisschool De Regenboog\"");
        assert!(Text::from("a") < Text::from("b"));
        assert_eq!(Text::default(), "");
    }

    /// Ticket text is data: it serializes as the same JSON string a `String` gives.
    #[test]
    fn serializes_as_a_plain_string() {
        for s in ["", "kort", "=1+1 #set $x$ ]@ \"quote\" \\ \u{1F600} lang genoeg om niet inline te passen"] {
            assert_eq!(serde_json::to_string(&Text::from(s)).unwrap(), serde_json::to_string(s).unwrap());
        }
    }

    #[test]
    fn equal_texts_share_one_block_and_short_ones_are_not_kept() {
        let mut interner = Interner::default();
        let a = interner.text("Printer werkt niet meer");
        let b = interner.text(&String::from("Printer werkt niet meer"));
        assert_eq!(a, b);
        assert_eq!(a.as_ptr(), b.as_ptr(), "one block for both");
        let short = interner.text("Wachtwoord");
        assert_eq!(short, "Wachtwoord");
        assert_eq!(interner.len(), 1, "a text of 15 bytes or less sits inline and is not kept");
        // An equal text made elsewhere is equal, though not shared.
        assert_eq!(Text::from("Printer werkt niet meer"), a);
    }

    #[test]
    fn keeps_at_most_its_capacity() {
        let mut interner = Interner::default();
        for i in 0..Interner::CAPACITY + 10 {
            interner.text(&format!("een unieke omschrijving {i:08}"));
        }
        assert_eq!(interner.len(), Interner::CAPACITY);
        // A text it kept is still shared, a later one is a text of its own.
        let first = interner.text("een unieke omschrijving 00000000");
        assert_eq!(first.as_ptr(), interner.text("een unieke omschrijving 00000000").as_ptr());
        let late = format!("een unieke omschrijving {:08}", Interner::CAPACITY + 5);
        assert_eq!(interner.text(&late), late);
        assert_ne!(interner.text(&late).as_ptr(), interner.text(&late).as_ptr());
    }
}
