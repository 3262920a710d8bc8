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

/// The category positions of every cell, in row-major order (last dimension fastest).
pub(crate) fn cells(dimensions: &[Dimension]) -> Vec<Vec<usize>> {
    let layout = Layout { size: dimensions.iter().map(|d| d.categories.len()).collect() };
    let total: usize = layout.size.iter().product();
    (0..total).map(|index| layout.coords(index)).collect()
}

/// A table's cell index ↔ category positions (row-major, last dimension fastest).
pub(crate) struct Layout {
    pub(crate) size: Vec<usize>,
}

impl Layout {
    pub(crate) fn of(table: &finsam_stats::Table) -> Layout {
        Layout { size: table.size() }
    }

    pub(crate) fn coords(&self, mut index: usize) -> Vec<usize> {
        let mut coords = vec![0; self.size.len()];
        for (d, &n) in self.size.iter().enumerate().rev() {
            coords[d] = index % n;
            index /= n;
        }
        coords
    }

    pub(crate) fn index(&self, coords: &[usize]) -> usize {
        coords.iter().zip(&self.size).fold(0, |acc, (&c, &n)| acc * n + c)
    }
}
