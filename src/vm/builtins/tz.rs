//! The local time zone of `Date`, as node (V8 with ICU) finds it: the `TZ` environment
//! variable naming a zone of the system database (/usr/share/zoneinfo), else /etc/localtime,
//! else UTC. The TZif files (with their footer rule for the years past the table) are read
//! by the `tz-rs` crate; this module decides which zone to read, answers the two offset
//! questions of ECMA-262 (§21.4.1.25 LocalTime, §21.4.1.26 UTC) and names the zone as ICU
//! does in `toString` ("Eastern Standard Time", "GMT+05:45").
//!
//! The zone is read once per process, at first use, and kept in a static.

use std::io::Read;
use std::sync::OnceLock;

use tz::TimeZone;

use super::tz_names::{NAMES, ZONES};

const ZONEINFO: &str = "/usr/share/zoneinfo";
/// The old rule-based zones ICU (and tzdata since 2024b) treats as links.
const ICU_LINKS: &[(&str, &str)] = &[
    ("EST5EDT", "America/New_York"),
    ("CST6CDT", "America/Chicago"),
    ("MST7MDT", "America/Denver"),
    ("PST8PDT", "America/Los_Angeles"),
    ("EST", "America/Panama"),
    ("MST", "America/Phoenix"),
    ("HST", "Pacific/Honolulu"),
    ("CET", "Europe/Brussels"),
    ("MET", "Europe/Brussels"),
    ("EET", "Europe/Athens"),
    ("WET", "Europe/Lisbon"),
];
const MS_PER_DAY: f64 = 86_400_000.0;
/// A TZif file larger than this is not one (and /dev/zero must not be read forever).
const MAX_TZIF: u64 = 1 << 20;

/// The local time zone: a zone of the database, or a fixed offset.
pub struct LocalTz {
    zone: Option<TimeZone>,
    /// The offset in seconds when there is no zone.
    fixed: i32,
    std_name: String,
    dst_name: String,
    /// From this Unix time on, the zone's DST flags are "negative DST" (Europe/Dublin's
    /// winter, Morocco's Ramadan) and ICU, which sees the same zone the other way round,
    /// calls the other half daylight time.
    negative_dst_from: i64,
}

/// The process's local time zone, read at first use.
pub fn local() -> &'static LocalTz {
    static LOCAL: OnceLock<LocalTz> = OnceLock::new();
    LOCAL.get_or_init(|| {
        let tz = std::env::var_os("TZ").map(|s| s.to_string_lossy().into_owned());
        LocalTz::resolve(tz.as_deref())
    })
}

impl LocalTz {
    /// The zone for a `TZ` value (`None`: unset), as ICU's host zone detection resolves it.
    pub fn resolve(tz: Option<&str>) -> LocalTz {
        let Some(tz) = tz else {
            return Self::system();
        };
        // ICU takes TZ as a zone id when it is letters with at most two digits at the end
        // ("Etc/GMT+11", "JST-9") or one of four old ids; other POSIX rules
        // ("EST5EDT,M3.2.0,M11.1.0") it leaves to the host's zone.
        if !olson_like(tz) {
            return Self::system();
        }
        let id = tz.strip_prefix(':').unwrap_or(tz);
        let id = id
            .strip_prefix("posix/")
            .or_else(|| id.strip_prefix("right/"))
            .unwrap_or(id);
        let path_like =
            id.starts_with('/') || id.split('/').any(|c| c == ".." || c == "." || c.is_empty());
        if !path_like {
            // ICU's data makes the old rule zones links (as tzdata does since 2024b).
            let file = ICU_LINKS
                .iter()
                .find(|(from, _)| *from == id)
                .map_or(id, |(_, to)| *to);
            if let Some(names) = names_of(id) {
                if let Some(zone) = read_zone(&format!("{ZONEINFO}/{file}")) {
                    return Self::with_zone(zone, names);
                }
            }
        }
        // A zone ICU does not know by that name: a fixed zone at the standard offset libc
        // finds (a file's, a POSIX "JST-9"'s, else 0) under a "GMT+01:00" name.
        let path = if id.starts_with('/') {
            id.to_string()
        } else {
            format!("{ZONEINFO}/{id}")
        };
        match read_zone(&path) {
            Some(zone) => Self::fixed(standard_offset(&zone)),
            None => Self::fixed(posix_fixed(id).unwrap_or(0)),
        }
    }

    /// TZ unset: /etc/localtime (named by where its link points), else UTC.
    fn system() -> LocalTz {
        let Some(zone) = read_zone("/etc/localtime") else {
            return Self::utc();
        };
        let target = std::fs::canonicalize("/etc/localtime").ok();
        let id = target.as_ref().and_then(|p| {
            let s = p.to_str()?;
            let tail = &s[s.find("/zoneinfo/")? + "/zoneinfo/".len()..];
            Some(
                tail.strip_prefix("posix/")
                    .or_else(|| tail.strip_prefix("right/"))
                    .unwrap_or(tail)
                    .to_string(),
            )
        });
        match id.as_deref().and_then(names_of) {
            Some(names) => Self::with_zone(zone, names),
            None => {
                let off = standard_offset(&zone);
                let mut tz = Self::with_zone(zone, (String::new(), String::new()));
                tz.std_name = gmt_name(off);
                tz.dst_name = tz.std_name.clone();
                tz
            }
        }
    }

    fn utc() -> LocalTz {
        let name = "Coordinated Universal Time".to_string();
        LocalTz {
            zone: None,
            fixed: 0,
            std_name: name.clone(),
            dst_name: name,
            negative_dst_from: i64::MAX,
        }
    }

    fn fixed(off: i32) -> LocalTz {
        let name = gmt_name(off);
        LocalTz {
            zone: None,
            fixed: off,
            std_name: name.clone(),
            dst_name: name,
            negative_dst_from: i64::MAX,
        }
    }

    fn with_zone(zone: TimeZone, (std_name, dst_name): (String, String)) -> LocalTz {
        let z = zone.as_ref();
        let types = z.local_time_types();
        let mut negative_dst_from = i64::MAX;
        // A daylight type below the standard offsets on both sides of it (from 1970 on: V8
        // names earlier times by an equivalent recent year).
        let trs = z.transitions();
        let std_of = |i: usize| {
            types
                .get(trs[i].local_time_type_index())
                .filter(|t| !t.is_dst())
        };
        let mut standard = types.first().map_or(0, |t| t.ut_offset());
        for (i, tr) in trs.iter().enumerate() {
            let Some(t) = types.get(tr.local_time_type_index()) else {
                continue;
            };
            if !t.is_dst() {
                standard = t.ut_offset();
                continue;
            }
            let next = (i + 1..trs.len()).find_map(std_of).map(|t| t.ut_offset());
            let next = next.unwrap_or(match z.extra_rule() {
                Some(tz::timezone::TransitionRule::Alternate(a)) => a.std().ut_offset(),
                _ => standard,
            });
            if tr.unix_leap_time() >= 0 && t.ut_offset() < standard && t.ut_offset() < next {
                negative_dst_from = tr.unix_leap_time();
                break;
            }
        }
        if negative_dst_from == i64::MAX {
            if let Some(tz::timezone::TransitionRule::Alternate(a)) = z.extra_rule() {
                if a.dst().ut_offset() < a.std().ut_offset() {
                    negative_dst_from = i64::MIN;
                }
            }
        }
        LocalTz {
            zone: Some(zone),
            fixed: 0,
            std_name,
            dst_name,
            negative_dst_from,
        }
    }

    /// The local time type at a Unix time in seconds: (offset in seconds, daylight time).
    fn at(&self, secs: i64) -> (i32, bool) {
        let Some(zone) = &self.zone else {
            return (self.fixed, false);
        };
        match zone.find_local_time_type(secs) {
            Ok(t) => (t.ut_offset(), t.is_dst()),
            // Past a table without a footer rule: the last type stays.
            Err(_) => {
                let z = zone.as_ref();
                let t = z
                    .transitions()
                    .last()
                    .and_then(|tr| z.local_time_types().get(tr.local_time_type_index()))
                    .or(z.local_time_types().first());
                t.map_or((0, false), |t| (t.ut_offset(), t.is_dst()))
            }
        }
    }

    /// The offset (ms) of local time from UTC at the time value `t` (LocalTime(t) = t + this).
    pub fn offset_at_utc(&self, t: f64) -> f64 {
        if !t.is_finite() {
            return 0.0;
        }
        f64::from(self.at(to_secs(t)).0) * 1000.0
    }

    /// The offset (ms) to take from the local time `l` for its time value (UTC(l) = l - this):
    /// in a gap (spring forward) the offset before the transition, so the time moves forward;
    /// in an overlap (fall back) the earlier of the two instants, as §21.4.1.26 says.
    pub fn offset_at_local(&self, l: f64) -> f64 {
        if !l.is_finite() || self.zone.is_none() {
            return f64::from(self.fixed) * 1000.0;
        }
        let before = self.offset_at_utc(l - MS_PER_DAY);
        let after = self.offset_at_utc(l + MS_PER_DAY);
        let fits = |o: f64| self.offset_at_utc(l - o) == o;
        match (fits(before), fits(after)) {
            (true, true) => before.max(after),
            (true, false) => before,
            (false, true) => after,
            (false, false) if before != after => before,
            (false, false) => self.offset_at_utc(l - before),
        }
    }

    /// The long name `toString` prints for the time value `t`. As V8 does, a time before
    /// 1970 or past 2038 is named by the same day of an equivalent year of 2008..2037.
    pub fn name(&self, t: f64) -> &str {
        let t = if !(0.0..=2_147_483_647_000.0).contains(&t) {
            equivalent_time(t)
        } else {
            t
        };
        let secs = to_secs(t);
        let (_, dst) = self.at(secs);
        if dst != (secs >= self.negative_dst_from) {
            &self.dst_name
        } else {
            &self.std_name
        }
    }
}

/// ICU's isValidOlsonID: no digit or ',' but for up to two digits at the end.
fn olson_like(tz: &str) -> bool {
    let b = tz.as_bytes();
    let mut i = 0;
    while i < b.len() && !b[i].is_ascii_digit() && b[i] != b',' {
        i += 1;
    }
    let max = i + 2;
    while i < b.len() && b[i].is_ascii_digit() && i < max {
        i += 1;
    }
    i == b.len() || matches!(tz, "PST8PDT" | "MST7MDT" | "CST6CDT" | "EST5EDT")
}

fn to_secs(t: f64) -> i64 {
    (t / 1000.0).floor().clamp(-1e15, 1e15) as i64
}

/// V8's EquivalentTime: the same month, day and time of day in a year of 2008..2037 that is
/// a leap year when the time's year is and starts on the same weekday.
fn equivalent_time(t: f64) -> f64 {
    use super::date::{civil_from_days, days_from_civil};
    if !t.is_finite() {
        return t;
    }
    let days = (t / MS_PER_DAY).floor();
    let within = t - days * MS_PER_DAY;
    let (y, m, d) = civil_from_days(days as i64);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let week_day = (days_from_civil(y, 1, 1) + 4).rem_euclid(7);
    let recent = if leap { 1956 } else { 1967 } + (week_day * 12) % 28;
    let year = 2008 + (recent + 3 * 28 - 2008) % 28;
    days_from_civil(year, m, d) as f64 * MS_PER_DAY + within
}

/// The names of a zone the database has, from the table generated from node.
fn names_of(id: &str) -> Option<(String, String)> {
    let i = ZONES.binary_search_by(|(z, _)| (*z).cmp(id)).ok()?;
    let (s, d) = NAMES.get(usize::from(ZONES[i].1))?;
    Some((s.to_string(), d.to_string()))
}

/// A TZif file, when `path` is a regular file that parses as one.
fn read_zone(path: &str) -> Option<TimeZone> {
    let f = std::fs::File::open(path).ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    f.take(MAX_TZIF).read_to_end(&mut bytes).ok()?;
    TimeZone::from_tz_data(&bytes).ok()
}

/// The standard offset (s) libc reports for a zone: the footer rule's, else the last
/// standard type's.
fn standard_offset(zone: &TimeZone) -> i32 {
    let z = zone.as_ref();
    match z.extra_rule() {
        Some(tz::timezone::TransitionRule::Fixed(t)) => t.ut_offset(),
        Some(tz::timezone::TransitionRule::Alternate(a)) => a.std().ut_offset(),
        None => z
            .transitions()
            .iter()
            .rev()
            .filter_map(|tr| z.local_time_types().get(tr.local_time_type_index()))
            .find(|t| !t.is_dst())
            .or(z.local_time_types().first())
            .map_or(0, |t| t.ut_offset()),
    }
}

/// ICU's localized GMT format of an offset in seconds, as node prints it: "GMT+05:45".
fn gmt_name(off: i32) -> String {
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s != 0 {
        format!("GMT{sign}{h:02}:{m:02}:{s:02}")
    } else {
        format!("GMT{sign}{h:02}:{m:02}")
    }
}

/// A POSIX TZ value without daylight time: a name of three or more letters (or `<...>`)
/// and an offset `[+-]hh[:mm[:ss]]` west of Greenwich. Returns the offset east, in seconds.
/// ICU (in node) keeps only the unquoted form, so `<...>` names are not accepted.
fn posix_fixed(tz: &str) -> Option<i32> {
    let b = tz.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_alphabetic() {
        i += 1;
    }
    if i < 3 {
        return None;
    }
    let sign = match b.get(i) {
        Some(b'-') => {
            i += 1;
            -1
        }
        Some(b'+') => {
            i += 1;
            1
        }
        _ => 1,
    };
    let mut parts = [0i32; 3];
    for (k, part) in parts.iter_mut().enumerate() {
        if k > 0 {
            if b.get(i) != Some(&b':') {
                break;
            }
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 3 {
            *part = *part * 10 + i32::from(b[i] - b'0');
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    if i != b.len() || parts[0] > 24 || parts[1] > 59 || parts[2] > 59 {
        return None;
    }
    Some(-sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_zone_values_as_node_does() {
        assert_eq!(posix_fixed("JST-9"), Some(9 * 3600));
        assert_eq!(posix_fixed("EST5"), Some(-5 * 3600));
        assert_eq!(posix_fixed("EST5EDT"), None);
        assert_eq!(gmt_name(20700), "GMT+05:45");
        assert_eq!(gmt_name(-18000), "GMT-05:00");
        assert_eq!(gmt_name(0), "GMT+00:00");
        for bad in [
            "",
            "Foo/Bar",
            "../../../../dev/zero",
            "/dev/zero",
            "/",
            "Europe",
        ] {
            let tz = LocalTz::resolve(Some(bad));
            assert_eq!(tz.offset_at_utc(0.0), 0.0);
            assert_eq!(tz.name(0.0), "GMT+00:00");
        }
        if std::path::Path::new("/usr/share/zoneinfo/America/New_York").exists() {
            let ny = LocalTz::resolve(Some("America/New_York"));
            assert_eq!(ny.offset_at_utc(1_705_312_800_000.0), -18_000_000.0);
            assert_eq!(ny.name(1_705_312_800_000.0), "Eastern Standard Time");
            assert_eq!(ny.name(1_721_037_600_000.0), "Eastern Daylight Time");
            // 2024-03-10 02:30 local is in the gap: 07:30Z (03:30 EDT).
            assert_eq!(ny.offset_at_local(1_710_037_800_000.0), -18_000_000.0);
            // 2024-11-03 01:30 local happens twice: the first, EDT.
            assert_eq!(ny.offset_at_local(1_730_597_400_000.0), -14_400_000.0);
            for t in [8.64e15, -8.64e15, 1e300, f64::NAN, f64::INFINITY] {
                ny.offset_at_utc(t);
                ny.offset_at_local(t);
                ny.name(t);
            }
        }
    }
}
