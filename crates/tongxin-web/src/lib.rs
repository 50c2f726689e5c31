//! tongxin-web
