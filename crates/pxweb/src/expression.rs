//! Value selections: codes and the expressions of PxWeb API 2 (`*`, `?`, `top(n)`, `bottom(n)`,
//! `from(x)`, `to(x)`, `range(a,b)`), evaluated against a variable's codes in their order.
//! Codes and expressions are matched without regard to case, as PxWeb does.

use finsam_domain::ErrorCode;

use crate::error::PxError;

/// Splits a GET parameter's value on the commas between entries; an entry holding a comma of
/// its own is bracketed (`[range(2020,2023)]`), and so are its parentheses.
pub fn split_get(text: &str) -> Vec<String> {
    let (mut entries, mut current, mut depth) = (Vec::new(), String::new(), 0i32);
    for c in text.chars() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth <= 0 {
            entries.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    entries.push(current);
    entries
        .into_iter()
        .map(|entry| {
            let entry = entry.trim();
            entry.strip_prefix('[').and_then(|e| e.strip_suffix(']')).unwrap_or(entry).trim().to_owned()
        })
        .collect()
}

/// The positions in `codes` that `entries` select, in the variable's order and each once.
/// `field` names the parameter in errors. `time`: the variable is the time variable, whose
/// `top` are the latest values and `bottom` the earliest; for the others `top` are the first
/// values and `bottom` the last, as in PxWeb.
pub fn select(entries: &[String], codes: &[&str], field: &str, time: bool) -> Result<Vec<usize>, PxError> {
    let mut chosen = vec![false; codes.len()];
    for entry in entries {
        for position in evaluate(entry, codes, field, time)? {
            chosen[position] = true;
        }
    }
    let positions: Vec<usize> = (0..codes.len()).filter(|&p| chosen[p]).collect();
    if positions.is_empty() {
        return Err(PxError::bad(field, ErrorCode::UnknownValue, format!("{} selects no value", entries.join(","))));
    }
    Ok(positions)
}

fn evaluate(entry: &str, codes: &[&str], field: &str, time: bool) -> Result<Vec<usize>, PxError> {
    let bad = |why: &str| {
        PxError::bad(
            field,
            ErrorCode::BadExpression,
            format!("{entry:?} {why}: give value codes or *, ?, top(n), bottom(n), from(x), to(x), range(a,b)"),
        )
    };
    let lower = entry.to_lowercase();
    if let Some((name, arguments)) = call(&lower) {
        let arguments: Vec<&str> = arguments.split(',').map(str::trim).collect();
        let find = |code: &str| {
            codes.iter().position(|c| c.eq_ignore_ascii_case(code)).ok_or_else(|| {
                PxError::bad(field, ErrorCode::UnknownValue, format!("{entry:?}: the variable has no value {code:?}"))
            })
        };
        let count = |text: &str| text.parse::<usize>().map_err(|_| bad("needs a whole number"));
        let n = codes.len();
        // (count, offset) from the end or from the start of the values.
        let from_end = |k: &str, offset: &str| -> Result<Vec<usize>, PxError> {
            let end = n.saturating_sub(count(offset)?);
            Ok((end.saturating_sub(count(k)?)..end).collect())
        };
        let from_start = |k: &str, offset: &str| -> Result<Vec<usize>, PxError> {
            let start = count(offset)?.min(n);
            Ok((start..start.saturating_add(count(k)?).min(n)).collect())
        };
        return match (name, arguments.as_slice()) {
            ("top", [k]) | ("bottom", [k]) => {
                if (name == "top") == time {
                    from_end(k, "0")
                } else {
                    from_start(k, "0")
                }
            }
            ("top", [k, offset]) | ("bottom", [k, offset]) => {
                if (name == "top") == time {
                    from_end(k, offset)
                } else {
                    from_start(k, offset)
                }
            }
            ("from", [x]) => Ok((find(x)?..n).collect()),
            ("to", [x]) => Ok((0..=find(x)?).collect()),
            ("range", [a, b]) => {
                let (a, b) = (find(a)?, find(b)?);
                Ok((a.min(b)..=a.max(b)).collect())
            }
            ("top" | "bottom" | "from" | "to" | "range", _) => Err(bad("has the wrong number of arguments")),
            _ => Err(bad("is not a known expression")),
        };
    }
    if lower.contains(['(', ')', '[', ']']) || lower.is_empty() {
        return Err(bad("cannot be read"));
    }
    if lower.contains(['*', '?']) {
        return Ok(codes
            .iter()
            .enumerate()
            .filter(|(_, c)| wildcard(&lower, &c.to_lowercase()))
            .map(|(p, _)| p)
            .collect());
    }
    codes
        .iter()
        .position(|c| c.eq_ignore_ascii_case(entry))
        .map(|p| vec![p])
        .ok_or_else(|| PxError::bad(field, ErrorCode::UnknownValue, format!("the variable has no value {entry:?}")))
}

/// `name(arguments)`, for a name of letters.
fn call(entry: &str) -> Option<(&str, &str)> {
    let (name, rest) = entry.split_once('(')?;
    let arguments = rest.strip_suffix(')')?;
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic())).then_some((name.trim(), arguments))
}

/// `*` for any run of characters, `?` for one.
fn wildcard(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    const YEARS: [&str; 5] = ["2019", "2020", "2021", "2022", "2023"];

    fn pick(entries: &[&str]) -> Result<Vec<usize>, PxError> {
        let entries: Vec<String> = entries.iter().map(|e| (*e).to_owned()).collect();
        select(&entries, &YEARS, "valuecodes[year]", true)
    }

    #[test]
    fn get_values_split_on_commas_outside_brackets() {
        assert_eq!(split_get("2020,2021"), ["2020", "2021"]);
        assert_eq!(split_get("[range(2020,2022)],2023"), ["range(2020,2022)", "2023"]);
        assert_eq!(split_get("top(2, 1)"), ["top(2, 1)"]);
    }

    #[test]
    fn every_expression_selects_in_the_variables_order() {
        assert_eq!(pick(&["*"]).unwrap(), [0, 1, 2, 3, 4]);
        assert_eq!(pick(&["2023", "2019"]).unwrap(), [0, 4]);
        assert_eq!(pick(&["202?"]).unwrap(), [1, 2, 3, 4]);
        assert_eq!(pick(&["*1"]).unwrap(), [2]);
        assert_eq!(pick(&["TOP(2)"]).unwrap(), [3, 4]);
        assert_eq!(pick(&["top(2,1)"]).unwrap(), [2, 3]);
        assert_eq!(pick(&["bottom(2)"]).unwrap(), [0, 1]);
        assert_eq!(pick(&["bottom(2,1)"]).unwrap(), [1, 2]);
        assert_eq!(pick(&["top(9)"]).unwrap(), [0, 1, 2, 3, 4]);
        assert_eq!(pick(&["from(2022)"]).unwrap(), [3, 4]);
        assert_eq!(pick(&["to(2020)"]).unwrap(), [0, 1]);
        assert_eq!(pick(&["range(2020,2022)"]).unwrap(), [1, 2, 3]);
        assert_eq!(pick(&["range(2020,2021)", "2021", "2023"]).unwrap(), [1, 2, 4]);
        assert_eq!(pick(&["range(2022,2020)"]).unwrap(), [1, 2, 3]);
    }

    #[test]
    fn top_is_the_first_values_of_a_variable_other_than_time() {
        let codes = ["women", "men", "total"];
        let top = |e: &str| select(&[e.to_owned()], &codes, "valuecodes[gender]", false).unwrap();
        assert_eq!(top("top(2)"), [0, 1]);
        assert_eq!(top("top(1,1)"), [1]);
        assert_eq!(top("bottom(1)"), [2]);
        assert_eq!(top("bottom(1,1)"), [1]);
    }

    #[test]
    fn what_cannot_be_read_or_selects_nothing_is_refused_by_its_rule() {
        let code = |entries: &[&str]| pick(entries).unwrap_err().code;
        assert_eq!(code(&["1999"]), ErrorCode::UnknownValue);
        assert_eq!(code(&["from(1999)"]), ErrorCode::UnknownValue);
        assert_eq!(code(&["19*"]), ErrorCode::UnknownValue);
        assert_eq!(code(&["top(x)"]), ErrorCode::BadExpression);
        assert_eq!(code(&["top(1,2,3)"]), ErrorCode::BadExpression);
        assert_eq!(code(&["latest(2)"]), ErrorCode::BadExpression);
        assert_eq!(code(&["top(2"]), ErrorCode::BadExpression);
        assert_eq!(code(&[""]), ErrorCode::BadExpression);
    }
}
