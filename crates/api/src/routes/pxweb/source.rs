//! Where a PxWeb table's figures come from. Without a token: the open tables of the latest
//! release of each published year, suppressed cells marked. With an analyst's or admin's bearer
//! token: the exact tables, computed from the registered data as it is now.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest};
use diesel::PgConnection;
use finsam_domain::access::{TableScope, table_scope};
use finsam_export::Lang;
use finsam_export::open::{self, OpenYear};
use finsam_pxweb::{Block, Chosen, Level, PxTable, Region};
use finsam_stats::{Selection, TableId};
use finsam_store::open_releases::Release;
use finsam_store::reference;

use super::super::open::release_note;
use crate::auth::Auth;
use crate::open_releases;
use crate::tables_cache::Snapshot;
use crate::{ApiError, AppState};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edition {
    Open,
    Exact,
}

impl Edition {
    pub fn tables(self) -> &'static [TableId] {
        match self {
            Edition::Open => &TableId::OPEN,
            Edition::Exact => &TableId::ALL,
        }
    }
}

/// Exact for a bearer token that may read every förbund's tables; open without one, and for a
/// registrar's (whose exact tables are its own förbund's, under `/api/v1/tables`). A token that
/// does not verify is a 401, never quietly the open tables. The pages' session cookie is not
/// read here: the public page gets the open tables whoever is signed in.
pub async fn edition(req: &HttpRequest) -> Result<Edition, ApiError> {
    if req.headers().get(header::AUTHORIZATION).is_none() {
        return Ok(Edition::Open);
    }
    let auth = Auth::extract(req).await?;
    Ok(match table_scope(&auth.0) {
        TableScope::Any => Edition::Exact,
        TableScope::Own(_) => Edition::Open,
    })
}

/// What one request reads, loaded once.
pub enum Source {
    /// The latest release of each published year, oldest first.
    Open(Vec<(Arc<OpenYear>, Release)>),
    Exact(Snapshot),
}

impl Source {
    pub fn load(conn: &mut PgConnection, state: &AppState, edition: Edition) -> Result<Source, ApiError> {
        Ok(match edition {
            Edition::Exact => Source::Exact(state.tables.snapshot(conn)?),
            Edition::Open => {
                let mut years = Vec::new();
                for year in open_releases::published_years(conn)? {
                    let release = open_releases::find(conn, year, None)?;
                    years.push((state.open.open_year(conn, &release)?, release));
                }
                Source::Open(years)
            }
        })
    }

    pub fn edition(&self) -> Edition {
        match self {
            Source::Open(_) => Edition::Open,
            Source::Exact(_) => Edition::Exact,
        }
    }

    pub fn years(&self) -> Vec<i32> {
        match self {
            Source::Open(years) => years.iter().map(|(open, _)| open.year).collect(),
            Source::Exact(snapshot) => {
                let inputs = &snapshot.inputs;
                let mut years: Vec<i32> = inputs
                    .insats_years
                    .iter()
                    .map(|r| r.year)
                    .chain(inputs.finances.iter().map(|r| r.year))
                    .chain(inputs.forbund_years.iter().map(|r| r.year))
                    .chain(inputs.allocation_years.iter().map(|r| r.year))
                    .collect();
                years.sort_unstable();
                years.dedup();
                years
            }
        }
    }

    /// RFC 3339: the latest release's publication, or now for the exact tables.
    pub fn updated(&self) -> String {
        match self {
            Source::Open(years) => years
                .iter()
                .map(|(_, release)| release.published_at)
                .max()
                .map_or_else(|| chrono::Utc::now().to_rfc3339(), |t| t.to_rfc3339()),
            Source::Exact(_) => chrono::Utc::now().to_rfc3339(),
        }
    }

    /// `id` as a PxWeb table; 404 for a table this edition does not have, or when nothing is
    /// published yet.
    pub fn table(
        &self,
        conn: &mut PgConnection,
        state: &AppState,
        id: TableId,
        lang: Lang,
    ) -> Result<PxTable, ApiError> {
        if !self.edition().tables().contains(&id) {
            return Err(ApiError::not_found(format!("no table {:?}", id.code())));
        }
        let years = self.years();
        if years.is_empty() {
            return Err(ApiError::not_found(format!(
                "table {} has no figures yet: open tables come from releases of closed years, and none is published",
                id.code()
            )));
        }
        let info = id.info();
        let (mut regions, own) = match (self, id.by_forbund()) {
            // The förbund are the table's own dimension, computed nationally.
            (Source::Exact(snapshot), true) => {
                let national =
                    snapshot.frames.compute(id, &years, &Selection::National).map_err(|e| ApiError::internal(&e))?;
                (vec![Region::nation()], national.dimensions[1..].to_vec())
            }
            _ => (self.regions(conn)?, info.dimensions.clone()),
        };
        {
            // Which county a förbund counts in is membership, not a figure: the registered
            // data's for the latest year, in either edition.
            let snapshot = match self {
                Source::Exact(snapshot) => snapshot.clone(),
                Source::Open(_) => state.tables.snapshot(conn)?,
            };
            let latest = years.last().copied().unwrap_or_default();
            let attribution = snapshot.frames.county_attribution(latest);
            for region in regions.iter_mut().filter(|r| r.level == Level::Forbund) {
                region.county = attribution.iter().find(|(key, _)| *key == region.code).and_then(|(_, c)| c.clone());
            }
        }
        let mut table = PxTable::new(info, &own, &years, regions, self.updated());
        if let Source::Open(opened) = self {
            let threshold = opened.last().map_or(finsam_export::open::DEFAULT_THRESHOLD, |(open, _)| open.threshold);
            table.notes.push(open::method_note(lang, threshold));
            table.notes.extend(opened.iter().map(|(_, release)| release_note(lang, release)));
        }
        Ok(table)
    }

    /// The nation, every county, every förbund: those of the registered data, or of the
    /// releases (a förbund in any of them), with their current names.
    fn regions(&self, conn: &mut PgConnection) -> Result<Vec<Region>, ApiError> {
        let (counties, forbund) = reference::names(conn)?;
        let published: Option<Vec<&Selection>> = match self {
            Source::Open(years) => Some(years.iter().flat_map(|(open, _)| open.selections.iter()).collect()),
            Source::Exact(_) => None,
        };
        let counted = |selection: &Selection| published.as_ref().is_none_or(|p| p.contains(&selection));
        let mut regions = vec![Region::nation()];
        regions.extend(
            counties
                .into_iter()
                .filter(|(code, _)| counted(&Selection::County(code.clone())))
                .map(|(code, name)| Region { code, name, level: Level::County, county: None }),
        );
        regions.extend(
            forbund
                .into_iter()
                .filter(|(key, _)| counted(&Selection::Forbund(key.clone())))
                .map(|(key, name)| Region { code: key, name, level: Level::Forbund, county: None }),
        );
        Ok(regions)
    }

    /// The figures for the chosen regions and years.
    pub fn blocks(&self, table: &PxTable, chosen: &Chosen) -> Result<Vec<Block>, ApiError> {
        let years: Vec<i32> = chosen.codes(table, 0).iter().filter_map(|y| y.parse().ok()).collect();
        let regions = chosen.codes(table, 1);
        let mut blocks = Vec::new();
        for region in regions {
            let selection = selection(table, &region);
            match self {
                Source::Exact(snapshot) => {
                    let computed =
                        snapshot.frames.compute(table.id, &years, &selection).map_err(|e| ApiError::internal(&e))?;
                    blocks.push(Block { region, table: computed, status: Vec::new() });
                }
                Source::Open(opened) => {
                    for (open, _) in opened.iter().filter(|(open, _)| years.contains(&open.year)) {
                        if let Some(published) = open.table(table.id, &selection) {
                            blocks.push(Block {
                                region: region.clone(),
                                table: published.table.clone(),
                                status: published.status.clone(),
                            });
                        }
                    }
                }
            }
        }
        Ok(blocks)
    }
}

fn selection(table: &PxTable, region: &str) -> Selection {
    match table.regions.iter().find(|r| r.code == region).map(|r| r.level) {
        Some(Level::County) => Selection::County(region.to_owned()),
        Some(Level::Forbund) => Selection::Forbund(region.to_owned()),
        _ => Selection::National,
    }
}
