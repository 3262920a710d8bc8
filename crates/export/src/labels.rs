use finsam_stats::{Category, Dimension};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// The default: the service's users are Swedish civil servants.
    #[default]
    Sv,
    En,
}

impl Lang {
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn dimension(self, d: &Dimension) -> &str {
        match self {
            Lang::Sv => &d.label_sv,
            Lang::En => &d.label_en,
        }
    }

    pub fn category(self, c: &Category) -> &str {
        match self {
            Lang::Sv => &c.label_sv,
            Lang::En => &c.label_en,
        }
    }

    pub fn pick<'a>(self, sv: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }
}

/// The category codes of every cell, in row-major order (last dimension fastest).
pub(crate) fn cells(dimensions: &[Dimension]) -> Vec<Vec<usize>> {
    let sizes: Vec<usize> = dimensions.iter().map(|d| d.categories.len()).collect();
    let total: usize = sizes.iter().product();
    (0..total)
        .map(|mut index| {
            let mut positions = vec![0; sizes.len()];
            for (slot, size) in positions.iter_mut().zip(&sizes).rev() {
                *slot = index % size;
                index /= size;
            }
            positions
        })
        .collect()
}
