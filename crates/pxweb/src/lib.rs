//! The national tables as PxWeb API 2 (PxTools/PxApiSpecs, `PxAPI-2.yml`) sees them. Each
//! statistic is one PxWeb table: the years as its time variable, a region variable (the nation,
//! the counties, the förbund) and the table's own dimensions, `measure` (the contents) last.
//! Pure: the cube of figures comes in, documents go out; HTTP and the database are the API's.

pub mod px;
