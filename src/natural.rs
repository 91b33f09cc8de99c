//! The order in which names are shown: as people sort them, not as bytes compare.
//!
//! Exports number their locations and categories ("Location 7", "Location 69"); sorted as text,
//! "Location 69" would come first. Every list of names a report shows (schools, categories,
//! subcategories, ties among recurring issues) is sorted with [`natural_cmp`]: runs of digits
//! compare by value, letters without regard to case or the common accents, and when two names
//! are alike that way the plain text comparison decides, so the order is total and the same
//! on every run.

use std::cmp::Ordering;

/// Compares two names as people expect: "Location 7" before "Location 69", "school b" beside
/// "School B", "École" beside "Ecole". Digit runs of any length compare by value (no number is
/// parsed, so no run overflows); names alike but for case, accents or leading zeros follow
/// the plain text comparison.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    loose_cmp(a, b).then_with(|| a.cmp(b))
}

/// [`natural_cmp`] for pairs (category, subcategory), the first name first.
pub fn natural_cmp_pair(a: (&str, &str), b: (&str, &str)) -> Ordering {
    natural_cmp(a.0, b.0).then_with(|| natural_cmp(a.1, b.1))
}

/// Numbers by value, letters folded; `Equal` for names that differ only in case, accents or
/// leading zeros.
fn loose_cmp(mut a: &str, mut b: &str) -> Ordering {
    loop {
        let (Some(x), Some(y)) = (a.chars().next(), b.chars().next()) else {
            // The shorter name (a prefix of the other) first.
            return b.is_empty().cmp(&a.is_empty());
        };
        if x.is_ascii_digit() && y.is_ascii_digit() {
            let (da, rest_a) = split_digits(a);
            let (db, rest_b) = split_digits(b);
            let (va, vb) = (da.trim_start_matches('0'), db.trim_start_matches('0'));
            // Without leading zeros, a longer run is a larger number; equal lengths compare
            // digit by digit.
            let by_value = va.len().cmp(&vb.len()).then_with(|| va.cmp(vb));
            if by_value != Ordering::Equal {
                return by_value;
            }
            (a, b) = (rest_a, rest_b);
        } else {
            let by_letter = fold(x).cmp(&fold(y));
            if by_letter != Ordering::Equal {
                return by_letter;
            }
            (a, b) = (&a[x.len_utf8()..], &b[y.len_utf8()..]);
        }
    }
}

/// The leading run of ASCII digits and the rest.
fn split_digits(s: &str) -> (&str, &str) {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    s.split_at(n)
}

/// A letter in lower case without its accent (the Latin letters Dutch, French and German names
/// use); other characters in lower case.
fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let lower = c.to_lowercase().next().unwrap_or(c);
    match lower {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| natural_cmp(a, b));
        v
    }

    #[test]
    fn numbers_inside_names_sort_by_value() {
        assert_eq!(
            sorted(&["Location 69", "Location 7", "Location 100", "Location 8b", "Location 8a", "Location"]),
            ["Location", "Location 7", "Location 8a", "Location 8b", "Location 69", "Location 100"]
        );
        assert_eq!(sorted(&["Category 63", "Category 7"]), ["Category 7", "Category 63"]);
        // Several numbers in one name, each by value.
        assert_eq!(sorted(&["v1.10", "v1.9", "v10.0", "v2.0"]), ["v1.9", "v1.10", "v2.0", "v10.0"]);
    }

    #[test]
    fn leading_zeros_count_by_value_and_break_ties() {
        assert_eq!(sorted(&["Lokaal 010", "Lokaal 9", "Lokaal 0010", "Lokaal 10", "Lokaal 011"]), [
            "Lokaal 9",
            "Lokaal 0010",
            "Lokaal 010",
            "Lokaal 10",
            "Lokaal 011"
        ]);
        assert_eq!(natural_cmp("0", "00"), Ordering::Less);
        assert_eq!(natural_cmp("007", "7"), Ordering::Less);
    }

    #[test]
    fn case_and_accents_do_not_separate_names() {
        assert_eq!(sorted(&["b", "B", "a", "C", "A"]), ["A", "a", "B", "b", "C"]);
        assert_eq!(sorted(&["Ezel", "École", "Eend", "Zon", "Ölberg", "Oost"]), ["École", "Eend", "Ezel", "Ölberg", "Oost", "Zon"]);
        // Other scripts sort by their lower-case letters, without panicking on any character.
        assert_eq!(sorted(&["Ωmega", "ωa", "Straße", "STRASSE", "日本 2", "日本 10", "😀"]).len(), 7);
        assert_eq!(sorted(&["日本 10", "日本 2"]), ["日本 2", "日本 10"]);
        // Digits of other scripts are letters here (only ASCII digits are numbers).
        assert_eq!(natural_cmp("٣", "3"), Ordering::Greater);
    }

    #[test]
    fn very_long_digit_runs_compare_without_overflow() {
        let big = "9".repeat(500);
        let bigger = format!("1{}", "0".repeat(500));
        assert_eq!(natural_cmp(&format!("x{big}"), &format!("x{bigger}")), Ordering::Less);
        assert_eq!(natural_cmp(&format!("{big}1"), &format!("{big}2")), Ordering::Less);
        assert_eq!(natural_cmp(&format!("{}5", "0".repeat(10_000)), "4"), Ordering::Greater);
        assert_eq!(natural_cmp(&"18446744073709551616".to_string(), "18446744073709551615"), Ordering::Greater);
    }

    #[test]
    fn the_order_is_total_and_consistent() {
        let names = ["a1", "A1", "a01", "a 1", "a", "", "1", "01", "é1", "e1", "E01", "b", "a10", "a9"];
        for x in names {
            assert_eq!(natural_cmp(x, x), Ordering::Equal);
            for y in names {
                assert_eq!(natural_cmp(x, y), natural_cmp(y, x).reverse(), "{x:?} {y:?}");
                assert_eq!(natural_cmp(x, y) == Ordering::Equal, x == y, "{x:?} {y:?}");
                for z in names {
                    if natural_cmp(x, y) == Ordering::Less && natural_cmp(y, z) == Ordering::Less {
                        assert_eq!(natural_cmp(x, z), Ordering::Less, "{x:?} {y:?} {z:?}");
                    }
                }
            }
        }
        assert_eq!(natural_cmp_pair(("netwerk", "Wifi 10"), ("netwerk", "Wifi 9")), Ordering::Greater);
        assert_eq!(natural_cmp_pair(("Netwerk 2", "z"), ("Netwerk 10", "a")), Ordering::Less);
    }
}
