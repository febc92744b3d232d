//! Publishing a reviewed import: the directive, its tasks and their assignments, in one
//! transaction.
