"""Personal data of members (Indonesia's UU 27/2022 on personal data protection): a member's copy of
everything the system holds about them (`selectors.member_data`, downloaded as JSON or XLSX), and the
removal of a leaving member's identity while their counted work and every statistic stay
(`services.member_anonymise`, modelled on pretix's shredder). It reads every app, so it lives at the
project level beside the audit trail: no feature app imports it."""
