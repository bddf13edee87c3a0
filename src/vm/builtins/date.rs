//! `Date`: time values, the calendar arithmetic of ECMA-262 §21.4.1, formatting as V8 does,
//! and parsing (the ISO format, plus the formats `toString`/`toUTCString` produce and the
//! common `Jan 15, 2024` / `2024/01/15` / `1/15/2024` shapes).
//!
//! Local time is the zone of `tz` (the `TZ` environment variable and the system zone
//! database, as node finds it): LocalTime(t) = t + offset_at_utc(t), and a local time `l`
//! becomes the time value l - offset_at_local(l) (§21.4.1.25, §21.4.1.26).

use std::cell::Cell;

use super::tz;
use crate::gc::Gc;
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{Object, ObjectClass};
use crate::vm::ops::Hint;
use crate::vm::realm::arg;
use crate::vm::string::JsString;
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

const MS_PER_DAY: f64 = 86_400_000.0;
const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub fn install(vm: &mut Vm) {
    let p = vm.new_object();
    vm.realm.extra.insert("DatePrototype", Value::heap(p));
    let ctor = super::core::make_ctor(vm, "Date", 7, date_ctor, p);
    vm.define_native(ctor, "now", 0, |_, _, _| Ok(Value::number(now())));
    vm.define_native(ctor, "parse", 1, |vm, _, a| {
        let s = vm.to_rust_string(arg(a, 0))?;
        Ok(Value::number(parse(&s)))
    });
    vm.define_native(ctor, "UTC", 7, |vm, _, a| {
        let t = from_components(vm, a, true)?;
        Ok(Value::number(time_clip(t)))
    });

    const GETTERS: &[(&str, crate::vm::object::NativeFn)] = &[
        ("getTime", |vm, t, _| {
            get(vm, t, "getTime", Field::Time, false)
        }),
        ("valueOf", |vm, t, _| {
            get(vm, t, "valueOf", Field::Time, false)
        }),
        ("getFullYear", |vm, t, _| {
            get(vm, t, "getFullYear", Field::Year, false)
        }),
        ("getUTCFullYear", |vm, t, _| {
            get(vm, t, "getUTCFullYear", Field::Year, true)
        }),
        ("getMonth", |vm, t, _| {
            get(vm, t, "getMonth", Field::Month, false)
        }),
        ("getUTCMonth", |vm, t, _| {
            get(vm, t, "getUTCMonth", Field::Month, true)
        }),
        ("getDate", |vm, t, _| {
            get(vm, t, "getDate", Field::Date, false)
        }),
        ("getUTCDate", |vm, t, _| {
            get(vm, t, "getUTCDate", Field::Date, true)
        }),
        ("getDay", |vm, t, _| get(vm, t, "getDay", Field::Day, false)),
        ("getUTCDay", |vm, t, _| {
            get(vm, t, "getUTCDay", Field::Day, true)
        }),
        ("getHours", |vm, t, _| {
            get(vm, t, "getHours", Field::Hours, false)
        }),
        ("getUTCHours", |vm, t, _| {
            get(vm, t, "getUTCHours", Field::Hours, true)
        }),
        ("getMinutes", |vm, t, _| {
            get(vm, t, "getMinutes", Field::Minutes, false)
        }),
        ("getUTCMinutes", |vm, t, _| {
            get(vm, t, "getUTCMinutes", Field::Minutes, true)
        }),
        ("getSeconds", |vm, t, _| {
            get(vm, t, "getSeconds", Field::Seconds, false)
        }),
        ("getUTCSeconds", |vm, t, _| {
            get(vm, t, "getUTCSeconds", Field::Seconds, true)
        }),
        ("getMilliseconds", |vm, t, _| {
            get(vm, t, "getMilliseconds", Field::Ms, false)
        }),
        ("getUTCMilliseconds", |vm, t, _| {
            get(vm, t, "getUTCMilliseconds", Field::Ms, true)
        }),
        ("getTimezoneOffset", |vm, t, _| {
            let v = this_time(vm, t, "getTimezoneOffset")?;
            Ok(Value::number(if v.is_nan() {
                f64::NAN
            } else {
                f64::from(-offset_minutes(v))
            }))
        }),
    ];
    for (name, f) in GETTERS {
        vm.define_native(p, name, 0, *f);
    }
    const SETTERS: &[(&str, u32, crate::vm::object::NativeFn)] = &[
        ("setFullYear", 3, |vm, t, a| {
            set(vm, t, a, "setFullYear", 0, 3, false)
        }),
        ("setUTCFullYear", 3, |vm, t, a| {
            set(vm, t, a, "setUTCFullYear", 0, 3, true)
        }),
        ("setMonth", 2, |vm, t, a| {
            set(vm, t, a, "setMonth", 1, 2, false)
        }),
        ("setUTCMonth", 2, |vm, t, a| {
            set(vm, t, a, "setUTCMonth", 1, 2, true)
        }),
        ("setDate", 1, |vm, t, a| {
            set(vm, t, a, "setDate", 2, 1, false)
        }),
        ("setUTCDate", 1, |vm, t, a| {
            set(vm, t, a, "setUTCDate", 2, 1, true)
        }),
        ("setHours", 4, |vm, t, a| {
            set(vm, t, a, "setHours", 3, 4, false)
        }),
        ("setUTCHours", 4, |vm, t, a| {
            set(vm, t, a, "setUTCHours", 3, 4, true)
        }),
        ("setMinutes", 3, |vm, t, a| {
            set(vm, t, a, "setMinutes", 4, 3, false)
        }),
        ("setUTCMinutes", 3, |vm, t, a| {
            set(vm, t, a, "setUTCMinutes", 4, 3, true)
        }),
        ("setSeconds", 2, |vm, t, a| {
            set(vm, t, a, "setSeconds", 5, 2, false)
        }),
        ("setUTCSeconds", 2, |vm, t, a| {
            set(vm, t, a, "setUTCSeconds", 5, 2, true)
        }),
        ("setMilliseconds", 1, |vm, t, a| {
            set(vm, t, a, "setMilliseconds", 6, 1, false)
        }),
        ("setUTCMilliseconds", 1, |vm, t, a| {
            set(vm, t, a, "setUTCMilliseconds", 6, 1, true)
        }),
        ("setTime", 1, |vm, t, a| {
            let o = this_date(vm, t, "setTime")?;
            let v = time_clip(vm.to_number(arg(a, 0))?);
            set_date_value(o, v);
            Ok(Value::number(v))
        }),
    ];
    for (name, len, f) in SETTERS {
        vm.define_native(p, name, *len, *f);
    }
    const FORMATS: &[(&str, crate::vm::object::NativeFn)] = &[
        ("toString", |vm, t, _| {
            fmt(vm, t, "toString", to_string_text)
        }),
        ("toDateString", |vm, t, _| {
            fmt(vm, t, "toDateString", date_text)
        }),
        ("toTimeString", |vm, t, _| {
            fmt(vm, t, "toTimeString", time_text)
        }),
        ("toUTCString", |vm, t, _| {
            fmt(vm, t, "toUTCString", utc_text)
        }),
        ("toGMTString", |vm, t, _| {
            fmt(vm, t, "toUTCString", utc_text)
        }),
        ("toLocaleString", |vm, t, _| {
            fmt(vm, t, "toLocaleString", locale_text)
        }),
        ("toLocaleDateString", |vm, t, _| {
            fmt(vm, t, "toLocaleDateString", locale_date_text)
        }),
        ("toLocaleTimeString", |vm, t, _| {
            fmt(vm, t, "toLocaleTimeString", locale_time_text)
        }),
    ];
    for (name, f) in FORMATS {
        vm.define_native(p, name, 0, *f);
    }
    vm.define_native(p, "toISOString", 0, |vm, t, _| {
        let v = this_time(vm, t, "toISOString")?;
        if v.is_nan() {
            return Err(vm.range_error("Invalid time value"));
        }
        Ok(vm.new_string(&iso_text(v)))
    });
    vm.define_native(p, "toJSON", 1, |vm, this, _| {
        let o = vm.to_object(this)?;
        vm.root(Value::heap(o));
        let tv = vm.to_primitive(Value::heap(o), Hint::Number)?;
        if tv.as_number().is_some_and(|n| !n.is_finite()) {
            return Ok(Value::NULL);
        }
        let k = vm.intern("toISOString");
        let f = vm.get(Value::heap(o), k)?;
        if !vm.is_callable(f) {
            return Err(vm.type_error("toISOString is not a function"));
        }
        vm.call(f, Value::heap(o), &[])
    });
    let tp = vm.new_native(
        "[Symbol.toPrimitive]",
        1,
        |vm, this, a| {
            if this.as_heap::<Object>().is_none() {
                return Err(vm.type_error("Date.prototype [ @@toPrimitive ] called on non-object"));
            }
            let h = arg(a, 0);
            let hint = h
                .as_heap::<JsString>()
                .map(|s| s.get().to_rust_string())
                .unwrap_or_default();
            let order = match hint.as_str() {
                "string" | "default" => [vm.realm.names.to_string, vm.realm.names.value_of],
                "number" => [vm.realm.names.value_of, vm.realm.names.to_string],
                _ => {
                    let t = vm.to_display_string(h);
                    return Err(vm.type_error(&format!("Invalid hint: {t}")));
                }
            };
            for k in order {
                let f = vm.get(this, k)?;
                if vm.is_callable(f) {
                    let r = vm.call(f, this, &[])?;
                    if r.as_heap::<Object>().is_none() {
                        return Ok(r);
                    }
                }
            }
            Err(vm.type_error("Cannot convert object to primitive value"))
        },
        false,
    );
    let tk = super::util::sym_key(vm.realm.sym_to_primitive);
    p.get().define(
        &mut vm.heap,
        tk,
        Value::heap(tp),
        crate::vm::object::attrs::CONFIGURABLE,
    );
}

/// The current time in ms since the epoch.
pub fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_millis() as f64)
}

fn date_value(o: Gc<Object>) -> f64 {
    match &o.get().class {
        ObjectClass::Date(c) => c.get(),
        _ => f64::NAN,
    }
}

fn set_date_value(o: Gc<Object>, v: f64) {
    if let ObjectClass::Date(c) = &o.get().class {
        c.set(v);
    }
}

fn this_date(vm: &mut Vm, this: Value, _method: &str) -> Result<Gc<Object>, Thrown> {
    if let Some(o) = this.as_heap::<Object>() {
        if matches!(o.get().class, ObjectClass::Date(_)) {
            return Ok(o);
        }
    }
    Err(vm.type_error("this is not a Date object."))
}

fn this_time(vm: &mut Vm, this: Value, method: &str) -> Result<f64, Thrown> {
    let o = this_date(vm, this, method)?;
    Ok(date_value(o))
}

// ---- Calendar arithmetic ----

fn day(t: f64) -> f64 {
    (t / MS_PER_DAY).floor()
}

/// LocalTime(t): the time value shifted by the local zone's offset at `t`.
fn local_time(t: f64) -> f64 {
    t + tz::local().offset_at_utc(t)
}

/// UTC(l): the time value of a local time (NaN stays NaN).
fn utc_of_local(l: f64) -> f64 {
    if !l.is_finite() {
        return f64::NAN;
    }
    l - tz::local().offset_at_local(l)
}

/// The local zone's offset at `t` in whole minutes east of UTC, truncated toward zero as V8
/// does (-getTimezoneOffset(); "+0530" in toString).
fn offset_minutes(t: f64) -> i32 {
    (tz::local().offset_at_utc(t) / 60_000.0).trunc() as i32
}

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1..=12).
pub(super) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// (year, month 1..=12, day 1..=31) of a day number.
pub(super) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The fields of a (finite) time value: year, month 0..=11, date, hours, minutes, seconds,
/// ms, weekday.
fn fields(t: f64) -> [i64; 8] {
    let d = day(t);
    let (y, m, dd) = civil_from_days(d as i64);
    let ms_in_day = t - d * MS_PER_DAY;
    let ms = ms_in_day as i64;
    let weekday = ((d as i64 + 4) % 7 + 7) % 7;
    [
        y,
        m - 1,
        dd,
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000,
        weekday,
    ]
}

/// MakeDay(year, month, date).
fn make_day(y: f64, m: f64, d: f64) -> f64 {
    if !y.is_finite() || !m.is_finite() || !d.is_finite() {
        return f64::NAN;
    }
    let (y, m, d) = (y.trunc(), m.trunc(), d.trunc());
    let ym = y + (m / 12.0).floor();
    if ym.abs() > 400_000.0 {
        return f64::NAN;
    }
    let mn = m.rem_euclid(12.0);
    days_from_civil(ym as i64, mn as i64 + 1, 1) as f64 + d - 1.0
}

/// MakeTime(hour, min, sec, ms).
fn make_time(h: f64, m: f64, s: f64, ms: f64) -> f64 {
    if !h.is_finite() || !m.is_finite() || !s.is_finite() || !ms.is_finite() {
        return f64::NAN;
    }
    h.trunc() * 3_600_000.0 + m.trunc() * 60_000.0 + s.trunc() * 1000.0 + ms.trunc()
}

fn make_date(day: f64, time: f64) -> f64 {
    if !day.is_finite() || !time.is_finite() {
        return f64::NAN;
    }
    let tv = day * MS_PER_DAY + time;
    if !tv.is_finite() {
        f64::NAN
    } else {
        tv
    }
}

/// TimeClip.
fn time_clip(t: f64) -> f64 {
    if !t.is_finite() || t.abs() > 8.64e15 {
        f64::NAN
    } else {
        t.trunc() + 0.0
    }
}

/// `Date.UTC(...)` and `new Date(y, m, ...)`: the components to a time value.
fn from_components(vm: &mut Vm, a: &[Value], utc_call: bool) -> Result<f64, Thrown> {
    let mut n = [f64::NAN, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0];
    for (i, slot) in n.iter_mut().enumerate() {
        if i < a.len() {
            *slot = vm.to_number(a[i])?;
        }
    }
    let y = n[0];
    let yi = y.trunc();
    let year = if !y.is_nan() && (0.0..=99.0).contains(&yi) {
        1900.0 + yi
    } else {
        y
    };
    let t = make_date(
        make_day(year, n[1], n[2]),
        make_time(n[3], n[4], n[5], n[6]),
    );
    Ok(if utc_call { t } else { utc_of_local(t) })
}

// ---- Constructor, getters, setters ----

fn date_ctor(vm: &mut Vm, _this: Value, a: &[Value]) -> R {
    let nt = vm.take_new_target();
    if nt.is_undefined() {
        let s = to_string_text(now());
        return Ok(vm.new_string(&s));
    }
    let tv = match a.len() {
        0 => now(),
        1 => {
            let v = a[0];
            let from_date = v.as_heap::<Object>().and_then(|o| match &o.get().class {
                ObjectClass::Date(c) => Some(c.get()),
                _ => None,
            });
            match from_date {
                Some(t) => t,
                None => {
                    let p = vm.to_primitive(v, Hint::Default)?;
                    match p.as_heap::<JsString>() {
                        Some(s) => parse(&s.get().to_rust_string()),
                        None => vm.to_number(p)?,
                    }
                }
            }
        }
        _ => from_components(vm, a, false)?,
    };
    let default = vm.realm.extra["DatePrototype"]
        .as_heap::<Object>()
        .expect("Date.prototype");
    let proto = vm.prototype_for(nt, default)?;
    let shape = vm.realm.shape_for_proto(&mut vm.heap, proto);
    let o = vm.heap.alloc(Object::with_class(
        shape,
        ObjectClass::Date(Cell::new(time_clip(tv))),
    ));
    Ok(Value::heap(o))
}

#[derive(Clone, Copy)]
enum Field {
    Time,
    Year,
    Month,
    Date,
    Day,
    Hours,
    Minutes,
    Seconds,
    Ms,
}

fn get(vm: &mut Vm, this: Value, method: &str, f: Field, utc: bool) -> R {
    let t = this_time(vm, this, method)?;
    if t.is_nan() {
        return Ok(Value::number(f64::NAN));
    }
    if let Field::Time = f {
        return Ok(Value::number(t));
    }
    let fs = fields(if utc { t } else { local_time(t) });
    let v = match f {
        Field::Time => return Ok(Value::number(t)),
        Field::Year => fs[0],
        Field::Month => fs[1],
        Field::Date => fs[2],
        Field::Hours => fs[3],
        Field::Minutes => fs[4],
        Field::Seconds => fs[5],
        Field::Ms => fs[6],
        Field::Day => fs[7],
    };
    Ok(Value::number(v as f64))
}

/// The setters: replace `count` fields starting at `first` (0 year … 6 ms) of the local (or
/// UTC) time with the arguments, recompute and store the time value.
fn set(
    vm: &mut Vm,
    this: Value,
    a: &[Value],
    method: &str,
    first: usize,
    count: usize,
    utc: bool,
) -> R {
    let o = this_date(vm, this, method)?;
    let t = date_value(o);
    let n = a.len().clamp(1, count);
    let mut nums = Vec::with_capacity(n);
    for i in 0..n {
        nums.push(vm.to_number(arg(a, i))?);
    }
    let t = if t.is_nan() {
        if first != 0 {
            return Ok(Value::number(f64::NAN));
        }
        // setFullYear on an invalid date starts from +0 taken as the local (or UTC) time.
        0.0
    } else if utc {
        t
    } else {
        local_time(t)
    };
    let fs = fields(t);
    let mut v: [f64; 7] = [
        fs[0] as f64,
        fs[1] as f64,
        fs[2] as f64,
        fs[3] as f64,
        fs[4] as f64,
        fs[5] as f64,
        fs[6] as f64,
    ];
    for (i, x) in nums.into_iter().enumerate() {
        v[first + i] = x;
    }
    let nt = make_date(
        make_day(v[0], v[1], v[2]),
        make_time(v[3], v[4], v[5], v[6]),
    );
    let nt = time_clip(if utc { nt } else { utc_of_local(nt) });
    set_date_value(o, nt);
    Ok(Value::number(nt))
}

// ---- Formatting ----

fn fmt(vm: &mut Vm, this: Value, method: &str, f: fn(f64) -> String) -> R {
    let t = this_time(vm, this, method)?;
    if t.is_nan() {
        return Ok(vm.new_string("Invalid Date"));
    }
    Ok(vm.new_string(&f(t)))
}

fn year_text(y: i64) -> String {
    if y < 0 {
        format!("-{:04}", -y)
    } else {
        format!("{y:04}")
    }
}

fn date_text(t: f64) -> String {
    let f = fields(local_time(t));
    format!(
        "{} {} {:02} {}",
        DAYS[f[7] as usize],
        MONTHS[f[1] as usize],
        f[2],
        year_text(f[0])
    )
}

fn time_text(t: f64) -> String {
    let f = fields(local_time(t));
    let off = offset_minutes(t);
    format!(
        "{:02}:{:02}:{:02} GMT{}{:02}{:02} ({})",
        f[3],
        f[4],
        f[5],
        if off < 0 { '-' } else { '+' },
        off.abs() / 60,
        off.abs() % 60,
        tz::local().name(t)
    )
}

fn to_string_text(t: f64) -> String {
    if t.is_nan() {
        return "Invalid Date".into();
    }
    format!("{} {}", date_text(t), time_text(t))
}

fn utc_text(t: f64) -> String {
    let f = fields(t);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        DAYS[f[7] as usize],
        f[2],
        MONTHS[f[1] as usize],
        year_text(f[0]),
        f[3],
        f[4],
        f[5]
    )
}

pub fn iso_text(t: f64) -> String {
    let f = fields(t);
    let y = if (0..=9999).contains(&f[0]) {
        format!("{:04}", f[0])
    } else if f[0] < 0 {
        format!("-{:06}", -f[0])
    } else {
        format!("+{:06}", f[0])
    };
    format!(
        "{y}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        f[1] + 1,
        f[2],
        f[3],
        f[4],
        f[5],
        f[6]
    )
}

fn locale_date_text(t: f64) -> String {
    let f = fields(local_time(t));
    format!("{}/{}/{}", f[1] + 1, f[2], f[0])
}

fn locale_time_text(t: f64) -> String {
    let f = fields(local_time(t));
    let (h, ampm) = match f[3] {
        0 => (12, "AM"),
        h if h < 12 => (h, "AM"),
        12 => (12, "PM"),
        h => (h - 12, "PM"),
    };
    format!("{h}:{:02}:{:02} {ampm}", f[4], f[5])
}

fn locale_text(t: f64) -> String {
    format!("{}, {}", locale_date_text(t), locale_time_text(t))
}

// ---- Parsing ----

/// `Date.parse`: the ISO format first, then the legacy shapes.
pub fn parse(s: &str) -> f64 {
    let s = s.trim();
    match parse_iso(s) {
        Some(t) => time_clip(t),
        None => parse_legacy(s).map_or(f64::NAN, time_clip),
    }
}

fn parse_iso(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    let num = |i: &mut usize, n: usize| -> Option<f64> {
        let part = b.get(*i..*i + n)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        *i += n;
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let year = match b.first()? {
        b'+' | b'-' => {
            let neg = b[0] == b'-';
            i = 1;
            let y = num(&mut i, 6)?;
            if neg && y == 0.0 {
                return None;
            }
            if neg {
                -y
            } else {
                y
            }
        }
        _ => num(&mut i, 4)?,
    };
    let (mut month, mut dayn) = (1.0, 1.0);
    if b.get(i) == Some(&b'-') {
        i += 1;
        month = num(&mut i, 2)?;
        if b.get(i) == Some(&b'-') {
            i += 1;
            dayn = num(&mut i, 2)?;
        }
    }
    if !(1.0..=12.0).contains(&month) || !(1.0..=31.0).contains(&dayn) {
        return None;
    }
    let (mut h, mut mi, mut sec, mut ms) = (0.0, 0.0, 0.0, 0.0);
    let mut offset = 0.0;
    // Date-time forms without an offset are local time; date-only forms are UTC.
    let mut local = false;
    if i < b.len() && (b[i] == b'T' || b[i] == b't' || b[i] == b' ') {
        i += 1;
        h = num(&mut i, 2)?;
        if b.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        mi = num(&mut i, 2)?;
        if b.get(i) == Some(&b':') {
            i += 1;
            sec = num(&mut i, 2)?;
            if b.get(i) == Some(&b'.') || b.get(i) == Some(&b',') {
                i += 1;
                let start = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                if i == start {
                    return None;
                }
                let frac: String = s[start..i].chars().take(3).collect();
                ms = format!("{frac:0<3}").parse().ok()?;
            }
        }
        if h > 24.0 || mi > 59.0 || sec > 59.0 || (h == 24.0 && (mi > 0.0 || sec > 0.0 || ms > 0.0))
        {
            return None;
        }
        match b.get(i) {
            Some(b'Z') | Some(b'z') => i += 1,
            Some(b'+') | Some(b'-') => {
                let sign = if b[i] == b'-' { -1.0 } else { 1.0 };
                i += 1;
                let oh = num(&mut i, 2)?;
                if b.get(i) == Some(&b':') {
                    i += 1;
                }
                let om = num(&mut i, 2)?;
                offset = sign * (oh * 60.0 + om) * 60_000.0;
            }
            _ => local = true,
        }
    }
    if i != b.len() {
        return None;
    }
    let t = make_date(make_day(year, month - 1.0, dayn), make_time(h, mi, sec, ms));
    Some(if local { utc_of_local(t) } else { t - offset })
}

/// A tolerant version of V8's legacy date parser for the shapes programs commonly use.
fn parse_legacy(s: &str) -> Option<f64> {
    // Drop parenthesised comments ("(Coordinated Universal Time)").
    let mut text = String::new();
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => text.push(c),
            _ => {}
        }
    }
    let mut numbers: Vec<f64> = Vec::new();
    let mut month: Option<f64> = None;
    let mut time: Option<(f64, f64, f64, f64)> = None;
    let mut offset: Option<f64> = None;
    let mut pm: Option<bool> = None;
    let mut slash_date: Option<Vec<f64>> = None;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            let w: String = chars[start..i].iter().collect::<String>().to_lowercase();
            if w.len() >= 3 {
                if let Some(m) = MONTHS.iter().position(|m| w.starts_with(&m.to_lowercase())) {
                    month = Some(m as f64);
                    continue;
                }
                if DAYS.iter().any(|d| w.starts_with(&d.to_lowercase())) {
                    continue;
                }
            }
            match w.as_str() {
                "am" => pm = Some(false),
                "pm" => pm = Some(true),
                "gmt" | "utc" | "ut" | "z" => {
                    offset.get_or_insert(0.0);
                }
                // The North American zone abbreviations V8's legacy parser knows.
                "est" | "edt" | "cst" | "cdt" | "mst" | "mdt" | "pst" | "pdt" => {
                    let base = match &w[..1] {
                        "e" => -5.0,
                        "c" => -6.0,
                        "m" => -7.0,
                        _ => -8.0,
                    };
                    let dst = if w.ends_with("dt") { 1.0 } else { 0.0 };
                    offset = Some((base + dst) * 3_600_000.0);
                }
                "t" => {}
                _ => return None,
            }
            continue;
        }
        if (c == '+' || c == '-') && offset.is_some() || (c == '+' && time.is_some()) {
            let sign = if c == '-' { -1.0 } else { 1.0 };
            i += 1;
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == ':') {
                i += 1;
            }
            let digits: String = chars[start..i].iter().filter(|c| **c != ':').collect();
            let v: f64 = digits.parse().ok()?;
            let (oh, om) = if digits.len() <= 2 {
                (v, 0.0)
            } else {
                ((v / 100.0).trunc(), v % 100.0)
            };
            offset = Some(sign * (oh * 60.0 + om) * 60_000.0);
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let n: f64 = chars[start..i].iter().collect::<String>().parse().ok()?;
            if i < chars.len() && chars[i] == ':' {
                // A time: h:m[:s[.ms]]
                let mut parts = vec![n];
                while i < chars.len() && (chars[i] == ':' || chars[i] == '.') {
                    i += 1;
                    let s2 = i;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                    parts.push(chars[s2..i].iter().collect::<String>().parse().ok()?);
                }
                parts.resize(4, 0.0);
                time = Some((parts[0], parts[1], parts[2], parts[3]));
                continue;
            }
            if i < chars.len() && (chars[i] == '/' || (chars[i] == '-' && month.is_none())) {
                let sep = chars[i];
                let mut parts = vec![n];
                while i < chars.len() && chars[i] == sep {
                    i += 1;
                    let s2 = i;
                    while i < chars.len() && chars[i].is_ascii_digit() {
                        i += 1;
                    }
                    parts.push(chars[s2..i].iter().collect::<String>().parse().ok()?);
                }
                slash_date = Some(parts);
                continue;
            }
            numbers.push(n);
            continue;
        }
        i += 1;
    }
    let (y, m, d) = if let Some(p) = slash_date {
        if p.len() != 3 {
            return None;
        }
        if p[0] > 31.0 {
            (p[0], p[1] - 1.0, p[2])
        } else {
            let y = if p[2] < 50.0 {
                2000.0 + p[2]
            } else if p[2] < 100.0 {
                1900.0 + p[2]
            } else {
                p[2]
            };
            (y, p[0] - 1.0, p[1])
        }
    } else {
        let m = month?;
        match numbers.as_slice() {
            [a, b] if *a > 31.0 => (*a, m, *b),
            [a, b] => (*b, m, *a),
            [a] => (*a, m, 1.0),
            _ => return None,
        }
    };
    if !(0.0..12.0).contains(&m) || !(1.0..=31.0).contains(&d) {
        return None;
    }
    let (mut h, mi, sec, ms) = time.unwrap_or((0.0, 0.0, 0.0, 0.0));
    if h > 24.0 || mi > 59.0 || sec > 59.0 {
        return None;
    }
    match pm {
        Some(true) if h < 12.0 => h += 12.0,
        Some(false) if h == 12.0 => h = 0.0,
        _ => {}
    }
    let t = make_date(make_day(y, m, d), make_time(h, mi, sec, ms));
    Some(match offset {
        Some(o) => t - o,
        None => utc_of_local(t),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_round_trips() {
        for d in [-800_000i64, -719_468, -1, 0, 1, 19_737, 2_932_896] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(iso_text(0.0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_text(-1e14), "-001199-02-15T14:13:20.000Z");
        assert_eq!(iso_text(3e14), "+011476-08-15T05:20:00.000Z");
    }

    #[test]
    fn parses_what_node_parses() {
        assert_eq!(parse("2024-01-15"), 1705276800000.0);
        assert_eq!(parse("2024-01-15T10:00"), 1705312800000.0);
        assert_eq!(
            parse("Mon Jan 15 2024 10:05:03 GMT+0000 (Coordinated Universal Time)"),
            1705313103000.0
        );
        assert_eq!(parse("Jan 15, 2024"), 1705276800000.0);
        assert_eq!(parse("2024/01/15"), 1705276800000.0);
        assert_eq!(parse("Mon, 15 Jan 2024 10:05:03 GMT"), 1705313103000.0);
        assert_eq!(parse("2024-01-15T10:05:03.007+02:00"), 1705305903007.0);
        assert!(parse("garbage").is_nan());
    }
}
