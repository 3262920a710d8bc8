//! The text of each section, every figure from a table cell, every number-word from a figure.

use finsam_domain::report_section::ReportSection;
use finsam_stats::TableId;
use rust_decimal::Decimal;

use super::{Ctx, claim, fixed, tables, text};
use crate::model::{Block, Figure, Form, Run, Sentence};
use crate::sentences::{COUNT, GENDER_SHARE, LARGEST, MORE_OR_FEWER, SHARE_OF_COUNT, SHARE_WORD};
use crate::{number, words};

const LAW: &str = "lagen (2003:1210) om finansiell samordning av rehabiliteringsinsatser";

pub(super) fn blocks(ctx: &mut Ctx, section: ReportSection) -> Vec<Block> {
    match section {
        ReportSection::Summary => summary(ctx),
        ReportSection::Forbund => forbund(ctx),
        ReportSection::FollowUp => follow_up(ctx),
        ReportSection::Insatser => vec![Block::Paragraph(vec![insatser_split(ctx), kind_shares(ctx)])],
        ReportSection::Individual => individual(ctx),
        ReportSection::TargetGroups => target_groups(ctx),
        ReportSection::Structural => structural(ctx),
        ReportSection::Costs => costs(ctx),
        ReportSection::StateFunds => state_funds(ctx),
        ReportSection::Completeness => completeness(ctx),
        ReportSection::Exits => exits(ctx),
        ReportSection::Appendix => appendix(ctx),
    }
}

fn f(fig: Figure) -> Run {
    Run::Figure(fig)
}

fn word(code: &'static str, text: &str, capital: bool) -> Run {
    let text = if capital { capitalised(text) } else { text.to_owned() };
    Run::Word { text, code }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// The share word for a figure printed in whole percent.
fn share_word_of(fig: &Figure, capital: bool) -> Option<Run> {
    let shown = number::shown(fig.value?, fig.form);
    let (code, w) = words::share_word(shown);
    Some(word(code, w, capital))
}

/// The share word for `part` of `whole`, in whole percent by the tables' rule.
fn share_word_of_counts(part: &Figure, whole: &Figure, capital: bool) -> Option<Run> {
    let (p, w) = (part.value?, whole.value?);
    if w.is_zero() {
        return None;
    }
    let percent = number::round(p * Decimal::from(100) / w, 0);
    let (code, text) = words::share_word(percent);
    Some(word(code, text, capital))
}

fn unavailable(what: &str) -> Block {
    Block::Note(vec![fixed(format!("{what} ingår inte i den öppna versionen av rapporten."))])
}

fn coverage(ctx: &Ctx) -> Sentence {
    let c = TableId::Completeness;
    claim(
        COUNT,
        vec![
            text(format!("Vid utgången av {} fanns ", ctx.year())),
            f(ctx.fig(c, &["forbund"], Form::Count)),
            text(" samordningsförbund, som tillsammans omfattade "),
            f(ctx.fig(c, &["municipalities_covered"], Form::Count)),
            text(" kommuner."),
        ],
    )
}

fn insatser_split(ctx: &Ctx) -> Sentence {
    let k = TableId::InsatserByKind;
    claim(
        COUNT,
        vec![
            text("Förbunden registrerade "),
            f(ctx.fig(k, &["total", "insatser"], Form::Count)),
            text(" insatser: "),
            f(ctx.fig(k, &["individual", "insatser"], Form::Count)),
            text(" individinriktade och "),
            f(ctx.fig(k, &["structural", "insatser"], Form::Count)),
            text(" strukturövergripande."),
        ],
    )
}

fn kind_shares(ctx: &Ctx) -> Sentence {
    let k = TableId::InsatserByKind;
    claim(
        COUNT,
        vec![
            text("De individinriktade insatserna var "),
            f(ctx.fig(k, &["individual", "share"], Form::Percent(0))),
            text(" av alla insatser och de strukturövergripande "),
            f(ctx.fig(k, &["structural", "share"], Form::Percent(0))),
            text("."),
        ],
    )
}

fn gender_share(ctx: &Ctx) -> Sentence {
    let p = TableId::IndividualParticipants;
    claim(
        GENDER_SHARE,
        vec![
            f(ctx.fig(p, &["total", "women", "share_of_orientation"], Form::Percent(0))),
            text(" av deltagarna i de individinriktade insatserna var kvinnor och "),
            f(ctx.fig(p, &["total", "men", "share_of_orientation"], Form::Percent(0))),
            text(" män."),
        ],
    )
}

fn cost_share(ctx: &Ctx) -> Option<Sentence> {
    let c = TableId::Costs;
    let individual = ctx.fig(c, &["individual", "share_of_insats_budget"], Form::Percent(0));
    let structural = ctx.fig(c, &["structural", "share_of_insats_budget"], Form::Percent(0));
    Some(claim(
        SHARE_WORD,
        vec![
            share_word_of(&individual, true)?,
            text(" av insatsernas budget, "),
            f(individual),
            text(", gick till individinriktade insatser och "),
            f(structural),
            text(" till strukturövergripande."),
        ],
    ))
}

fn registered(ctx: &Ctx) -> Sentence {
    let c = TableId::Completeness;
    claim(
        COUNT,
        vec![
            f(ctx.fig(c, &["forbund_registered"], Form::Count)),
            text(" av "),
            f(ctx.fig(c, &["forbund"], Form::Count)),
            text(" förbund hade registrerat uppgifter för året när uppgifterna hämtades, och "),
            f(ctx.fig(c, &["forbund_submitted"], Form::Count)),
            text(" hade rapporterat klart."),
        ],
    )
}

fn state_contribution(ctx: &Ctx) -> Sentence {
    let c = TableId::Contributions;
    claim(
        COUNT,
        vec![
            text("Staten bidrog med "),
            f(ctx.fig(c, &["state", "amount"], Form::Msek(0))),
            text(" miljoner kronor (MSEK) till förbunden, "),
            f(ctx.fig(c, &["state", "share"], Form::Percent(0))),
            text(" av medlemsbidragen; regionerna bidrog med "),
            f(ctx.fig(c, &["regions", "share"], Form::Percent(0))),
            text(" och kommunerna med "),
            f(ctx.fig(c, &["municipalities", "share"], Form::Percent(0))),
            text("."),
        ],
    )
}

fn summary(ctx: &mut Ctx) -> Vec<Block> {
    let mut sentences = vec![coverage(ctx), insatser_split(ctx), gender_share(ctx)];
    sentences.extend(cost_share(ctx));
    sentences.push(state_contribution(ctx));
    sentences.push(registered(ctx));
    sentences.push(fixed(
        "Deltagarna registreras som antal per insats och kön, inte som personer, och kan därför inte följas \
         individuellt mellan insatser eller år.",
    ));
    vec![Block::Paragraph(sentences)]
}

fn forbund(ctx: &mut Ctx) -> Vec<Block> {
    let year = ctx.year();
    let mut blocks = vec![Block::Paragraph(vec![
        fixed(format!(
            "Samordningsförbunden bildas enligt {LAW} av Försäkringskassan, Arbetsförmedlingen, regioner och \
             kommuner."
        )),
        coverage(ctx),
        fixed("En förteckning över förbunden och deras kommuner finns i bilagan."),
    ])];
    blocks.push(Block::Subheading(format!("Förändringar under {year}")));
    if ctx.inputs.changes.is_empty() {
        blocks.push(Block::Paragraph(vec![fixed(format!(
            "Ingen kommun gick med i eller lämnade något förbund under {year}."
        ))]));
    } else {
        let items = ctx
            .inputs
            .changes
            .iter()
            .map(|c| {
                let verb = if c.joined { "gick med i" } else { "lämnade" };
                fixed(format!("{}: {} {verb} {}.", c.date, c.municipality, c.forbund))
            })
            .collect();
        blocks.push(Block::List(items));
    }
    let c = TableId::Completeness;
    let years: Vec<i32> = ctx
        .years(c)
        .into_iter()
        .filter(|y| ctx.fig_of(c, *y, &["forbund"], Form::Count).value.is_some_and(|v| v > Decimal::ZERO))
        .collect();
    if !years.is_empty() {
        let forbund = years.iter().map(|y| ctx.fig_of(c, *y, &["forbund"], Form::Count)).collect();
        let municipalities =
            years.iter().map(|y| ctx.fig_of(c, *y, &["municipalities_covered"], Form::Count)).collect();
        let chart = ctx.chart(
            "Antal samordningsförbund och medlemskommuner per år".into(),
            years.iter().map(|y| y.to_string()).collect(),
            vec![("Förbund".into(), forbund), ("Medlemskommuner".into(), municipalities)],
        );
        blocks.push(chart);
    }
    blocks
}

fn follow_up(ctx: &mut Ctx) -> Vec<Block> {
    let mut blocks = vec![Block::Paragraph(vec![
        fixed(
            "Förbunden registrerar sina insatser i den nationella uppföljningstjänsten: varje insats med typ, \
             preciserad inriktning och målgrupper, och för varje år antalet deltagare per kön, budget, utfall och \
             avslut. Lokala verksamhetssystem kan skicka samma uppgifter i filer. Förbundens ekonomi och \
             medlemsbidrag registreras per år.",
        ),
        fixed(format!("{}.", ctx.inputs.edition)),
        fixed(
            "Tabellernas andelar beräknas ur exakta antal och belopp och avrundas en gång, till en decimal, med \
             hälften bort från noll. I löptexten anges andelar i hela procent, som den tryckta rapporten för 2023, \
             avrundade på samma sätt från tabellernas värden. Belopp anges i miljoner kronor (MSEK).",
        ),
    ])];
    if let Some(note) = &ctx.inputs.method_note {
        blocks.push(Block::Note(vec![fixed(note.clone())]));
    }
    blocks
}

/// The orientation with the most of `measure`, totals aside, as a `largest` sentence's figure.
fn largest(ctx: &Ctx, id: TableId, measure: &str) -> Option<(String, Figure)> {
    ctx.codes(id, "orientation")
        .into_iter()
        .filter(|c| c != "total")
        .map(|c| (ctx.label(id, "orientation", &c), ctx.fig(id, &[&c, measure], Form::Count)))
        .filter(|(_, fig)| fig.value.is_some())
        .max_by_key(|(_, fig)| fig.value)
}

fn individual(ctx: &mut Ctx) -> Vec<Block> {
    let i = TableId::IndividualInsatser;
    let p = TableId::IndividualParticipants;
    let mut sentences = vec![];
    if let Some((label, most)) = largest(ctx, i, "insatser") {
        let whole = ctx.fig(i, &["total", "insatser"], Form::Count);
        sentences.push(claim(
            LARGEST,
            vec![
                f(most.clone()),
                text(" av "),
                f(whole),
                text(format!(
                    " individinriktade insatser var {}, fler än med någon annan inriktning.",
                    label.to_lowercase()
                )),
            ],
        ));
    }
    sentences.push(claim(
        COUNT,
        vec![
            text("Insatserna hade sammanlagt "),
            f(ctx.fig(p, &["total", "total", "participants"], Form::Count)),
            text(" deltagare, varav "),
            f(ctx.fig(p, &["total", "women", "participants"], Form::Count)),
            text(" kvinnor och "),
            f(ctx.fig(p, &["total", "men", "participants"], Form::Count)),
            text(" män."),
        ],
    ));
    sentences.push(gender_share(ctx));
    let women = ctx.fig(p, &["total", "women", "participants"], Form::Count);
    let men = ctx.fig(p, &["total", "men", "participants"], Form::Count);
    if let (Some(w), Some(m)) = (women.value, men.value) {
        let (code, more) = words::more_or_fewer(w, m);
        sentences.push(claim(
            MORE_OR_FEWER,
            vec![
                text("Kvinnorna ("),
                f(women),
                text(") var "),
                word(code, more, false),
                text(" än männen ("),
                f(men),
                text(")."),
            ],
        ));
    }
    vec![Block::Paragraph(sentences), tables::individual(ctx)]
}

fn target_groups(ctx: &mut Ctx) -> Vec<Block> {
    let t = TableId::TargetGroups;
    let none = ctx.fig(t, &["none", "insatser"], Form::Count);
    let all = ctx.fig(TableId::IndividualInsatser, &["total", "insatser"], Form::Count);
    let mut sentences = vec![];
    if let Some(w) = share_word_of_counts(&none, &all, true) {
        sentences.push(claim(
            SHARE_OF_COUNT,
            vec![
                w,
                text(" av de individinriktade insatserna, "),
                f(none),
                text(" av "),
                f(all),
                text(", hade ingen specifik målgrupp."),
            ],
        ));
    }
    sentences.push(fixed(
        "En insats kan ha flera målgrupper och räknas då i var och en av dem, så att antalen tillsammans blir fler \
         än insatserna.",
    ));
    let codes = ctx.codes(t, "target_group");
    let labels = codes.iter().map(|c| ctx.label(t, "target_group", c)).collect();
    let figures = codes.iter().map(|c| ctx.fig(t, &[c, "insatser"], Form::Count)).collect();
    let chart = ctx.chart(
        format!("Individinriktade insatser per målgrupp {}", ctx.year()),
        labels,
        vec![("Antal insatser".into(), figures)],
    );
    vec![Block::Paragraph(sentences), chart]
}

fn structural(ctx: &mut Ctx) -> Vec<Block> {
    let s = TableId::StructuralInsatser;
    let tracking = ctx.fig(s, &["total", "tracking_participants"], Form::Count);
    let all = ctx.fig(s, &["total", "insatser"], Form::Count);
    let mut sentences = vec![];
    if let Some(w) = share_word_of_counts(&tracking, &all, true) {
        sentences.push(claim(
            SHARE_OF_COUNT,
            vec![
                w,
                text(" av de strukturövergripande insatserna, "),
                f(tracking),
                text(" av "),
                f(all),
                text(", följde sina deltagare; för dessa insatser är det frivilligt."),
            ],
        ));
    }
    sentences.push(claim(
        COUNT,
        vec![
            text("De insatser som följde deltagare hade sammanlagt "),
            f(ctx.fig(s, &["total", "participants"], Form::Count)),
            text(" deltagare."),
        ],
    ));
    if let Some((label, most)) = largest(ctx, s, "insatser") {
        sentences.push(claim(
            LARGEST,
            vec![
                f(most),
                text(format!(" insatser var inriktade på {}, fler än på något annat.", label.to_lowercase())),
            ],
        ));
    }
    vec![Block::Paragraph(sentences), tables::structural(ctx)]
}

fn costs(ctx: &mut Ctx) -> Vec<Block> {
    let mut sentences: Vec<Sentence> = cost_share(ctx).into_iter().collect();
    let c = TableId::Completeness;
    let submitted = ctx.fig(c, &["forbund_submitted"], Form::Count);
    let all = ctx.fig(c, &["forbund"], Form::Count);
    if submitted.value < all.value {
        sentences.push(claim(
            COUNT,
            vec![
                text("Utfallet är preliminärt: "),
                f(submitted),
                text(" av "),
                f(all),
                text(" förbund hade rapporterat klart."),
            ],
        ));
    }
    let mut blocks = vec![Block::Paragraph(sentences), tables::costs(ctx)];
    let a = TableId::AdministrationShare;
    if ctx.has(a) {
        blocks.push(Block::Paragraph(vec![claim(
            COUNT,
            vec![
                text("Administrationen svarade för "),
                f(ctx.fig(a, &["share_of_budget"], Form::Percent(1))),
                text(" av förbundens budgeterade kostnader och för "),
                f(ctx.fig(a, &["share_of_outcome"], Form::Percent(1))),
                text(" av utfallet."),
            ],
        )]));
    } else {
        blocks.push(unavailable("Administrationens andel"));
    }
    blocks
}

fn state_funds(ctx: &mut Ctx) -> Vec<Block> {
    let mut blocks = vec![Block::Paragraph(vec![state_contribution(ctx)])];
    let s = TableId::StateFunds;
    if ctx.has(s) {
        let frame = ctx.fig(s, &["frame"], Form::Msek(0));
        if frame.value.is_some() {
            blocks.push(Block::Paragraph(vec![claim(
                COUNT,
                vec![
                    text("Ramen för statens medel var "),
                    f(frame),
                    text(" MSEK, varav "),
                    f(ctx.fig(s, &["national_support"], Form::Msek(0))),
                    text(" MSEK för nationellt stöd. Förbrukat var "),
                    f(ctx.fig(s, &["spent"], Form::Msek(2))),
                    text(" MSEK och outnyttjat "),
                    f(ctx.fig(s, &["unspent"], Form::Msek(2))),
                    text(" MSEK."),
                ],
            )]));
        } else {
            blocks.push(Block::Note(vec![fixed(format!(
                "Ingen fördelning av statens medel för {} är beslutad i tjänsten, så tilldelning och förbrukning \
                 redovisas inte.",
                ctx.year()
            ))]));
        }
    } else {
        blocks.push(unavailable("Statens tilldelning och förbrukning"));
    }
    blocks.push(Block::Subheading("Eget kapital".into()));
    blocks.push(Block::Paragraph(vec![claim(
        COUNT,
        vec![
            text(format!("Förbundens samlade eget kapital vid utgången av {} var ", ctx.year())),
            f(ctx.fig(TableId::Equity, &["closing"], Form::Msek(0))),
            text(" MSEK, och årets resultat var "),
            f(ctx.fig(TableId::Equity, &["result"], Form::Msek(0))),
            text(" MSEK."),
        ],
    )]));
    blocks.push(tables::equity(ctx));
    blocks
}

fn completeness(ctx: &mut Ctx) -> Vec<Block> {
    vec![Block::Paragraph(vec![registered(ctx)]), tables::completeness(ctx)]
}

fn exits(ctx: &mut Ctx) -> Vec<Block> {
    let e = TableId::Exits;
    let sentence = claim(
        COUNT,
        vec![
            text("Av de "),
            f(ctx.fig(e, &["total", "total", "exits"], Form::Count)),
            text(" deltagare som avslutade en individinriktad insats gick "),
            f(ctx.fig(e, &["work", "total", "exits"], Form::Count)),
            text(" till arbete och "),
            f(ctx.fig(e, &["studies", "total", "exits"], Form::Count)),
            text(" till studier."),
        ],
    );
    vec![Block::Paragraph(vec![sentence]), tables::exits(ctx)]
}

fn appendix(ctx: &mut Ctx) -> Vec<Block> {
    let mut blocks = vec![Block::Paragraph(vec![fixed(format!(
        "Förbunden vid utgången av {} och deras medlemskommuner, efter län. Ett förbund som omfattar kommuner i \
         flera län står under vart och ett av dem.",
        ctx.year()
    ))])];
    let mut counties: Vec<&str> = ctx.inputs.forbund.iter().map(|f| f.county.as_str()).collect();
    counties.sort_unstable();
    counties.dedup();
    for county in counties {
        blocks.push(Block::Subheading(county.to_owned()));
        let items = ctx
            .inputs
            .forbund
            .iter()
            .filter(|f| f.county == county)
            .map(|f| fixed(format!("{}: {}", f.name, f.municipalities.join(", "))))
            .collect();
        blocks.push(Block::List(items));
    }
    blocks
}
