//! A plain reading of the rules, sharing no code with the module, to compare against. It tries every substring
//! instead of walking the text, and knows only ASCII, the no-break space and the en dash: normalisation is tested
//! on its own.

use super::*;

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{a0}')
}

fn is_separator(c: char) -> bool {
    is_space(c) || matches!(c, '-' | '\u{2013}' | '+' | '.' | '/' | '_' | ':')
}

/// Spaces look alike, and so do dashes.
fn look(c: char) -> char {
    match c {
        c if is_space(c) => ' ',
        '\u{2013}' => '-',
        c => c,
    }
}

/// `Some(coordination)` when 10 or 12 ASCII digits form a valid number.
pub(super) fn digits_are_valid(digits: &str) -> Option<bool> {
    let (century, short) = match digits.len() {
        12 => (Some(digits[..2].parse::<u32>().unwrap()), &digits[2..]),
        10 => (None, digits),
        _ => return None,
    };
    if matches!(century, Some(century) if !(18..=20).contains(&century)) {
        return None;
    }
    if check_digit(&short[..9]) != short.chars().nth(9).unwrap() {
        return None;
    }
    let month: u32 = short[2..4].parse().unwrap();
    let mut day: u32 = short[4..6].parse().unwrap();
    let coordination = day > 60;
    if coordination {
        day -= 60;
    }
    let leap = match century {
        Some(century) => {
            let year = century * 100 + short[..2].parse::<u32>().unwrap();
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
        }
        None => true,
    };
    let month_len = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=month_len).contains(&day).then_some(coordination)
}

/// The digits of a candidate and, keyed by how many digits precede it, each run of separators inside it; `None` if
/// it holds anything else or a run is misplaced or too long.
fn shape(candidate: &[char]) -> Option<(String, Vec<(usize, String)>)> {
    let mut digits = String::new();
    let mut runs: Vec<(usize, String)> = Vec::new();
    for &c in candidate {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if is_separator(c) {
            match runs.last_mut() {
                Some((at, run)) if *at == digits.len() => run.push(look(c)),
                _ => runs.push((digits.len(), look(c).to_string())),
            }
        } else {
            return None;
        }
    }
    let len = digits.len();
    for (at, run) in &runs {
        if at % 2 == 1 || run.chars().count() > 2 {
            return None;
        }
    }
    let run_at = |at: usize| runs.iter().find(|(place, _)| *place == at).map(|(_, run)| run.as_str());
    if let Some(split) = run_at(len - 2)
        && Some(split) != run_at(len - 4)
        && !split.chars().all(|c| c == ' ')
    {
        return None;
    }
    Some((digits, runs))
}

/// Whether the characters beyond one end (`beyond` walks away from the candidate) carry on a longer number.
fn continues(beyond: &[char], spaced: bool) -> bool {
    let run: Vec<char> = beyond.iter().copied().take_while(|&c| is_separator(c)).collect();
    let Some(next) = beyond.get(run.len()) else { return false };
    next.is_ascii_digit() && (run.is_empty() || (run.len() <= 2 && (spaced || !run.iter().any(|&c| is_space(c)))))
}

/// The first number whose first character is at or after char index `from`.
pub(super) fn oracle_find_from(text: &str, from: usize) -> Option<IdentityNumberMatch> {
    let chars: Vec<char> = text.chars().collect();
    let offsets: Vec<usize> = text.char_indices().map(|(offset, _)| offset).chain([text.len()]).collect();
    for start in (from..chars.len()).filter(|&start| chars[start].is_ascii_digit()) {
        for want in [12, 10] {
            // The candidate ends right after its `want`-th digit; beyond anything but digits and separators no
            // candidate can reach.
            let mut count = 0;
            let Some(end) = (start..chars.len())
                .take_while(|&index| chars[index].is_ascii_digit() || is_separator(chars[index]))
                .find(|&index| {
                    count += usize::from(chars[index].is_ascii_digit());
                    count == want
                })
                .map(|index| index + 1)
            else {
                continue;
            };
            let Some((digits, runs)) = shape(&chars[start..end]) else { continue };
            let spaced = runs.iter().any(|(_, run)| run.contains(' '));
            // Four characters tell whether a run of at most two separators comes before a digit.
            let before: Vec<char> = chars[start.saturating_sub(4)..start].iter().rev().copied().collect();
            if continues(&before, spaced) || continues(&chars[end..], spaced) {
                continue;
            }
            if let Some(coordination) = digits_are_valid(&digits) {
                return Some(IdentityNumberMatch { start: offsets[start], end: offsets[end], coordination });
            }
        }
    }
    None
}

pub(super) fn oracle_find(text: &str) -> Option<IdentityNumberMatch> {
    oracle_find_from(text, 0)
}

/// Every number, the way masking sees them: the search goes on after the end of each.
pub(super) fn oracle_find_all(text: &str) -> Vec<IdentityNumberMatch> {
    let mut all = Vec::new();
    let mut from = 0;
    while let Some(found) = oracle_find_from(text, from) {
        from = text[..found.end].chars().count();
        all.push(found);
    }
    all
}
