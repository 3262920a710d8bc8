//! PC-Axis files (to be written).
