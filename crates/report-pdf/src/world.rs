//! The smallest `World` typst needs, after typst's own fuzzing world (tests/fuzz in typst
//! v0.15.1): the standard library, the fonts compiled into `typst-assets`, one main source, and
//! the caller's files by name. No file system, no packages, no clock.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, Source, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// What every render shares: built once per process (parsing the fonts takes a while).
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    Shared { library: LazyHash::new(Library::default()), book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
});

/// One compilation: the main markup and the files it may read.
pub(crate) struct ReportWorld {
    shared: &'static Shared,
    main: Source,
    files: Vec<(String, Bytes)>,
}

impl ReportWorld {
    pub(crate) fn new(main: &str, files: &[(&str, &[u8])]) -> Self {
        Self {
            shared: &SHARED,
            // main.typ at the project root, so "diagram-1.svg" in the markup is "/diagram-1.svg".
            main: Source::detached(main),
            files: files
                .iter()
                .map(|(name, data)| (name.trim_start_matches('/').to_owned(), Bytes::new(data.to_vec())))
                .collect(),
        }
    }

    pub(crate) fn main_source(&self) -> &Source {
        &self.main
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(not_found(id)) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if *id.root() != VirtualRoot::Project {
            return Err(not_found(id));
        }
        let name = id.vpath().get_without_slash();
        self.files.iter().find(|(file, _)| file == name).map(|(_, data)| data.clone()).ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    /// No clock: the report's dates come from its data, so that the same data gives the same PDF.
    fn today(&self, _: Option<Duration>) -> Option<Datetime> {
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}
