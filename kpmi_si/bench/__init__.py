"""`make bench`: generate data at Garut and Province scale on PostgreSQL and measure the dashboards
and the target evaluation against hand-written SQL. Not part of the test suite."""
