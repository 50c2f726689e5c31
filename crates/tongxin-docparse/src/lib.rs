//! Document import (文件导入): the text of a county document as it comes out of a PDF → its
//! number, title, outline (章/条/款/项; 一、（一）1.（1）) and the tasks, deadlines, caps and
//! targets drafted from it.
//!
//! Pure: no I/O, no async, no clock. Not built yet: the document-import issue fills this crate.
