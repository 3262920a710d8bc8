//! A user agent by hand: no redirect followed by itself, one cookie jar for 127.0.0.1, as a
//! browser has (browsers do not separate cookies by port).

use super::*;

// ---- a browser, by hand ------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub(super) struct Cookie {
    pub(super) name: String,
    pub(super) value: String,
    pub(super) path: String,
}

/// A user agent that follows nothing by itself and keeps one cookie jar for 127.0.0.1, as a
/// browser does (browsers do not separate cookies by port, so the provider's and finsam's share
/// it).
pub(super) struct Browser {
    pub(super) client: Client,
    pub(super) cookies: Vec<Cookie>,
}

#[derive(Debug)]
pub(super) struct Reply {
    pub(super) url: Url,
    pub(super) status: u16,
    pub(super) location: Option<Url>,
    pub(super) set_cookies: Vec<String>,
    pub(super) content_type: String,
    pub(super) body: String,
}

impl Reply {
    pub(super) fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("{} {}: not JSON ({e}): {}", self.status, self.url, self.body))
    }

    /// The Set-Cookie header that gives `name` a value, if any (a deletion does not count).
    pub(super) fn sets_cookie(&self, name: &str) -> Option<&str> {
        self.set_cookies.iter().map(String::as_str).find(|c| {
            let first = c.split(';').next().unwrap_or_default();
            first.split_once('=').is_some_and(|(n, v)| n.trim() == name && !v.trim().is_empty() && !deletes(c))
        })
    }

    pub(super) fn location(&self) -> &Url {
        self.location.as_ref().unwrap_or_else(|| panic!("{} {}: no Location: {}", self.status, self.url, self.body))
    }
}

/// Whether a Set-Cookie header removes its cookie (Max-Age of 0 or less, or an Expires before 2000).
pub(super) fn deletes(set_cookie: &str) -> bool {
    set_cookie.split(';').skip(1).filter_map(|a| a.split_once('=')).any(|(name, value)| {
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        (name == "max-age" && value.parse::<i64>().is_ok_and(|age| age <= 0))
            || (name == "expires"
                && value.split_whitespace().any(|w| w.parse::<u32>().is_ok_and(|y| (1970..2000).contains(&y))))
    })
}

impl Browser {
    pub(super) fn new() -> Browser {
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        Browser { client, cookies: Vec::new() }
    }

    /// Puts a cookie in the jar as if a server had set it (for forged and stolen cookies).
    pub(super) fn put_cookie(&mut self, name: &str, value: &str) {
        self.cookies.retain(|c| c.name != name);
        self.cookies.push(Cookie { name: name.into(), value: value.into(), path: "/".into() });
    }

    pub(super) fn get(&mut self, url: &str) -> Reply {
        self.send("GET", url, &[], None, None)
    }

    pub(super) fn post_form(&mut self, url: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> Reply {
        self.send("POST", url, headers, Some(form), None)
    }

    pub(super) fn send(
        &mut self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        form: Option<&[(&str, &str)]>,
        json: Option<&Value>,
    ) -> Reply {
        let url = Url::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        let mut request = self.client.request(method.parse().unwrap(), url.clone());
        let jar: Vec<String> = self
            .cookies
            .iter()
            .filter(|c| url.path().starts_with(&c.path))
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        if !jar.is_empty() {
            request = request.header("Cookie", jar.join("; "));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if let Some(form) = form {
            request = request.form(form);
        }
        if let Some(json) = json {
            request = request.json(json);
        }
        let response = request.send().unwrap_or_else(|e| panic!("{method} {url}: {e}"));
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|l| url.join(l.to_str().unwrap()).unwrap_or_else(|e| panic!("Location {l:?}: {e}")));
        let set_cookies: Vec<String> =
            response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        let content_type =
            response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let body = response.text().unwrap_or_default();
        for set in &set_cookies {
            self.store(set);
        }
        Reply { url, status, location, set_cookies, content_type, body }
    }

    pub(super) fn store(&mut self, set_cookie: &str) {
        let mut parts = set_cookie.split(';');
        let Some((name, value)) = parts.next().and_then(|p| p.split_once('=')) else { return };
        let (name, value) = (name.trim().to_owned(), value.trim().to_owned());
        let path = parts
            .filter_map(|p| p.split_once('='))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("path"))
            .map_or("/".to_owned(), |(_, v)| v.trim().to_owned());
        self.cookies.retain(|c| !(c.name == name && c.path == path));
        if !value.is_empty() && !deletes(set_cookie) {
            self.cookies.push(Cookie { name, value, path });
        }
    }
}
