//! CSS, JavaScript and the icon, compiled into the binary and served from the service itself
//! under a path that names their content, so that they may be cached for a year.

use std::hash::Hasher;
use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{HttpResponse, web};

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

const JS: &str = "text/javascript; charset=utf-8";

const ASSETS: &[Asset] = &[
    Asset { name: "finsam.css", content_type: "text/css; charset=utf-8", body: include_bytes!("../assets/finsam.css") },
    Asset { name: "finsam.js", content_type: JS, body: include_bytes!("../assets/finsam.js") },
    Asset { name: "meddelanden.js", content_type: JS, body: include_bytes!("../assets/meddelanden.js") },
    Asset { name: "diagram.js", content_type: JS, body: include_bytes!("../assets/diagram.js") },
    Asset { name: "start.js", content_type: JS, body: include_bytes!("../assets/start.js") },
    Asset { name: "registrering.js", content_type: JS, body: include_bytes!("../assets/registrering.js") },
    Asset { name: "insats.js", content_type: JS, body: include_bytes!("../assets/insats.js") },
    Asset { name: "analys.js", content_type: JS, body: include_bytes!("../assets/analys.js") },
    Asset { name: "arsredovisning.js", content_type: JS, body: include_bytes!("../assets/arsredovisning.js") },
    Asset { name: "fordelning.js", content_type: JS, body: include_bytes!("../assets/fordelning.js") },
    Asset { name: "ekonomi.js", content_type: JS, body: include_bytes!("../assets/ekonomi.js") },
    Asset { name: "kommentarer.js", content_type: JS, body: include_bytes!("../assets/kommentarer.js") },
    Asset { name: "statistik.js", content_type: JS, body: include_bytes!("../assets/statistik.js") },
    Asset { name: "ikon.svg", content_type: "image/svg+xml", body: include_bytes!("../assets/ikon.svg") },
];

/// A short hash of every asset together: a new build with changed assets gets new URLs, and
/// the modules' relative imports stay within one version.
static VERSION: LazyLock<String> = LazyLock::new(|| {
    // Stable across builds and platforms: the same assets keep their URLs.
    let mut hash = fnv::FnvHasher::default();
    for asset in ASSETS {
        hash.write(asset.name.as_bytes());
        hash.write(asset.body);
    }
    format!("{:016x}", hash.finish())
});

/// The URL of an asset, e.g. `/resurser/3f…/finsam.css`.
pub fn asset_path(name: &str) -> String {
    format!("/resurser/{}/{name}", *VERSION)
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/resurser/{version}/{name}", web::get().to(serve));
}

async fn serve(path: web::Path<(String, String)>) -> HttpResponse {
    let (version, name) = path.into_inner();
    let Some(asset) = ASSETS.iter().find(|a| a.name == name) else {
        return HttpResponse::NotFound().finish();
    };
    let cache = if version == *VERSION {
        "public, max-age=31536000, immutable"
    } else {
        // An old page asking for an older version gets today's file, not to be kept.
        "no-cache"
    };
    HttpResponse::Ok()
        .content_type(asset.content_type)
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(asset.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_has_a_versioned_path() {
        assert_eq!(VERSION.len(), 16);
        for asset in ASSETS {
            assert!(asset_path(asset.name).ends_with(asset.name));
            assert!(!asset.body.is_empty(), "{}", asset.name);
        }
    }

    #[test]
    fn no_asset_names_another_origin() {
        for asset in ASSETS {
            // SVG's XML namespace is an identifier, never fetched.
            let text = String::from_utf8_lossy(asset.body).replace("http://www.w3.org/2000/svg", "");
            for needle in ["http://", "https://", "//cdn", "@import"] {
                assert!(!text.contains(needle), "{} mentions {needle}", asset.name);
            }
        }
    }
}
