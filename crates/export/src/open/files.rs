//! The yearly open export: every open table in JSON-stat 2.0, CSV and XLSX, nationally, by
//! county and by förbund, with a README on the method. Written to a folder by `finsam export`
//! and zipped by `GET /api/v1/open/export/{year}.zip`; both take their files from here.

use std::io::Write;

use finsam_stats::{Selection, TableId};
use rust_xlsxwriter::XlsxError;
use zip::write::SimpleFileOptions;

use super::{OpenTable, OpenYear, method_note, stack};
use crate::{Lang, Meta, csv, jsonstat, xlsx};

pub const README_NAME: &str = "README.md";

/// Display names of the counties and förbund, for the stacked tables' categories.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// (county code, name)
    pub counties: Vec<(String, String)>,
    /// (förbund key, name)
    pub forbund: Vec<(String, String)>,
}

/// One file of the export, its path relative to the export's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The levels of the export: folder, and how the tables of that level are put together.
const LEVELS: [&str; 3] = ["national", "county", "forbund"];

/// Every file of the export of `open`: `<level>/<table-id>.{json,csv,xlsx}` for the levels
/// `national`, `county` (a `county` dimension) and `forbund` (a `forbund` dimension), then the README.
pub fn export_files(
    open: &OpenYear,
    names: &Names,
    updated: &str,
    lang: Lang,
    dialect: csv::Dialect,
) -> Result<Vec<ExportFile>, XlsxError> {
    let meta_for = |table: &OpenTable| Meta {
        updated: updated.to_owned(),
        status: table.status.clone(),
        notes: vec![method_note(lang, open.threshold)],
        disclosure_threshold: Some(open.threshold),
    };
    let mut files = Vec::new();
    for id in TableId::OPEN {
        let info = id.info();
        for level in LEVELS {
            let table = level_table(open, names, id, level);
            let meta = meta_for(&table);
            let base = format!("{level}/{}", id.code());
            let json = jsonstat::dataset(&table.table, &info, &meta, lang);
            files.push(ExportFile {
                path: format!("{base}.json"),
                bytes: serde_json::to_vec_pretty(&json).expect("JSON values serialise"),
            });
            files.push(ExportFile {
                path: format!("{base}.csv"),
                bytes: csv::write(&table.table, &meta, lang, dialect).into_bytes(),
            });
            files.push(ExportFile {
                path: format!("{base}.xlsx"),
                bytes: xlsx::write(&table.table, &info, &meta, lang)?,
            });
        }
    }
    let listing: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let readme = readme(open, updated, dialect, &listing);
    files.push(ExportFile { path: README_NAME.to_owned(), bytes: readme.into_bytes() });
    Ok(files)
}

fn level_table(open: &OpenYear, names: &Names, id: TableId, level: &str) -> OpenTable {
    let name_of = |list: &[(String, String)], code: &str| {
        list.iter().find(|(c, _)| c == code).map_or_else(|| code.to_owned(), |(_, n)| n.clone())
    };
    let entries: Vec<(String, String, &OpenTable)> = open
        .selections
        .iter()
        .zip(open.family(id))
        .filter_map(|(selection, table)| match (level, selection) {
            ("county", Selection::County(code)) => Some((code.clone(), name_of(&names.counties, code), table)),
            ("forbund", Selection::Forbund(key)) => Some((key.clone(), name_of(&names.forbund, key), table)),
            _ => None,
        })
        .collect();
    match level {
        "county" => stack("county", "Län", "County", &entries),
        "forbund" => stack("forbund", "Samordningsförbund", "Förbund", &entries),
        _ => open.table(id, &Selection::National).expect("the nation is always there").clone(),
    }
}

/// The files as one ZIP, each under `root/`.
pub fn zip_files(files: &[ExportFile], root: &str) -> zip::result::ZipResult<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // A fixed time on every entry: a release's ZIP is the same bytes whenever it is made.
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for file in files {
        writer.start_file(format!("{root}/{}", file.path), options)?;
        writer.write_all(&file.bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}

fn readme(open: &OpenYear, updated: &str, dialect: csv::Dialect, files: &[&str]) -> String {
    let t = open.threshold;
    let year = open.year;
    let csv = match dialect {
        csv::Dialect::Plain => "CSV i UTF-8 med kommatecken (,) som avgränsare (`.csv`)",
        csv::Dialect::Swedish => {
            "CSV i UTF-8 med byte order mark (BOM), semikolon (;) som avgränsare och decimalkomma, för Excel och \
             LibreOffice med svenska inställningar (`.csv`)"
        }
    };
    let mut text = format!(
        "# Finsam: öppna tabeller {year}\n\n\
         Uppföljning av finansiell samordning (Finsam): nationella tabeller, per län och per samordningsförbund, \
         för {year}. Uttagna {updated}. Inga uppgifter om enskilda personer eller enskilda insatser ingår: tabellerna \
         är summor över förbundens registreringar.\n\n\
         ## Röjandekontroll\n\n\
         - **Primär undertryckning.** Antal personer (deltagare i individinriktade insatser, deltagare i \
         strukturövergripande insatser som följer deltagare, avslutade deltagare) från 1 till {t} visas inte. \
         Noll visas. Antal insatser, förbund och kommuner samt belopp är inte personuppgifter och visas som de är.\n\
         - **Sekundär undertryckning.** Så många ytterligare celler döljs att ingen dold cell kan räknas ut ur de \
         publicerade cellerna och det som gäller för alla data: tabellernas summor (kön → totalt, inriktning → \
         totalt, orsak → totalt, och förbund → län → riket; ett förbund räknas i det län där flest av dess \
         medlemskommuner ligger), att antal aldrig är negativa, och att avslutade deltagare av ett kön aldrig är \
         fler än deltagarna (individinriktade deltagare av könet plus deltagare i strukturövergripande insatser), \
         i varje förbund, län och i riket. De minsta cellerna över tröskeln väljs först. Alla personantal i alla \
         tabeller och på alla nivåer skyddas tillsammans.\n\
         - **Granskning.** För varje dold cell beräknas med linjärprogrammering det minsta och största värde som \
         stämmer med allt detta; intervallet är alltid bredare än {t}.\n\
         - **Andelar** av ett dolt antal (eller med ett dolt antal som nämnare) döljs.\n\
         - Varje år skyddas för sig; ett års mönster är detsamma ensamt och i en tidsserie.\n\
         - **Nya versioner.** Rättas ett stängt års uppgifter publiceras en ny version av årets tabeller. Den skyddas \
         tillsammans med årets tidigare versioner, vars dolda celler aldrig ändras: granskningen utgår från att man \
         känner alla versioner och vet vilka celler som inte ändrats (en oförändrad cell är ett och samma okända \
         värde i alla versioner). En cell som var dold och inte ändrats förblir dold, och celler som doldes förut \
         väljs först.\n\n\
         En dold cell har status `.`: i JSON-stat i `status`, i CSV ett tomt värde och `.` i kolumnen `status`, \
         i XLSX en tom, grå cell med `.` i kolumnen Status. Tröskeln finns i JSON-stat under \
         `extension.disclosure.threshold` och i varje tabells not.\n\n\
         ## Filer\n\n\
         - `national/`: riket.\n\
         - `county/`: per län (dimensionen `county`, länskod).\n\
         - `forbund/`: per samordningsförbund (dimensionen `forbund`, förbundets nyckel).\n\n\
         Varje tabell finns som JSON-stat 2.0 (`.json`), {csv} \
         och Excel (`.xlsx`). Andelar är procent med en decimal, avrundade en gång från exakta tal.\n\n\
         ## In English\n\n\
         Open tables of the Finsam follow-up for {year}, national, by county and by förbund, read {updated}. \
         Counts of persons (participants, exits) from 1 to {t} are suppressed (primary), and further cells, \
         smallest above the threshold first, so that no suppressed cell can be computed from the published cells and \
         what holds for all data: the tables' additive relations (gender, orientation and reason totals; förbund → \
         county → nation), non-negativity, and that exits of a gender never exceed participants (individual \
         participants of the gender plus participants of structural insatser) at every förbund, county and the \
         nation. Every suppressed cell's feasible interval, computed by linear programming, is wider than {t}. \
         Shares of a suppressed count are suppressed. Suppressed cells have status `.`. Each year is protected on \
         its own; a new release of a year (after corrections) is protected together with the year's earlier \
         releases, whose suppressions never change, assuming an attacker holds every release and knows which cells \
         did not change.\n\n\
         ## Innehåll / Contents\n\n"
    );
    for file in files {
        text.push_str(&format!("- `{file}`\n"));
    }
    text
}
