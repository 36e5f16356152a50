"""The datetime C API: PyDateTime_IMPORT, the checks, the field macros and
the constructors of PyDateTime_CAPI (tests/capi/ext/datetime.c)."""
import datetime
import unittest

import _ferrytest as T

UTC = datetime.timezone.utc
IST = datetime.timezone(datetime.timedelta(hours=5, minutes=30), 'IST')


class SubDateTime(datetime.datetime):
    pass


class SubDate(datetime.date):
    pass


class TestDateTimeCAPI(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.api = T.dt_import()

    def test_capsule(self):
        self.assertEqual(self.api, (datetime.date, datetime.datetime, datetime.time,
                                    datetime.timedelta, datetime.tzinfo, UTC))
        self.assertTrue(hasattr(datetime, 'datetime_CAPI'))

    def test_checks(self):
        self.assertEqual(T.dt_checks(datetime.date(2020, 1, 2)), (1, 1, 0, 0, 0, 0, 0, 0, 0, 0))
        self.assertEqual(T.dt_checks(datetime.datetime(2020, 1, 2)), (1, 0, 1, 1, 0, 0, 0, 0, 0, 0))
        self.assertEqual(T.dt_checks(SubDateTime(2020, 1, 2)), (1, 0, 1, 0, 0, 0, 0, 0, 0, 0))
        self.assertEqual(T.dt_checks(datetime.time(1)), (0, 0, 0, 0, 1, 1, 0, 0, 0, 0))
        self.assertEqual(T.dt_checks(datetime.timedelta(1)), (0, 0, 0, 0, 0, 0, 1, 1, 0, 0))
        self.assertEqual(T.dt_checks(UTC), (0, 0, 0, 0, 0, 0, 0, 0, 1, 0))
        self.assertEqual(T.dt_checks(5), (0,) * 10)

    def test_fields(self):
        self.assertEqual(T.dt_fields(datetime.date(2026, 11, 21)), (2026, 11, 21))
        self.assertEqual(T.dt_fields(datetime.date(1, 1, 1)), (1, 1, 1))
        self.assertEqual(T.dt_fields(datetime.date(9999, 12, 31)), (9999, 12, 31))
        dt = datetime.datetime(2026, 11, 21, 23, 59, 58, 999999)
        self.assertEqual(T.dt_fields(dt), (2026, 11, 21, 23, 59, 58, 999999, 0, None))
        dt = datetime.datetime(2026, 11, 21, 1, 2, 3, 456789, tzinfo=IST, fold=1)
        self.assertEqual(T.dt_fields(dt), (2026, 11, 21, 1, 2, 3, 456789, 1, IST))
        self.assertEqual(T.dt_fields(SubDateTime(2000, 2, 29, 12)), (2000, 2, 29, 12, 0, 0, 0, 0, None))
        self.assertEqual(T.dt_fields(SubDate(2000, 2, 29)), (2000, 2, 29))
        self.assertEqual(T.dt_fields(datetime.time(13, 14, 15, 161718, UTC, fold=1)),
                         (13, 14, 15, 161718, 1, UTC))
        self.assertEqual(T.dt_fields(datetime.time()), (0, 0, 0, 0, 0, None))
        self.assertEqual(T.dt_fields(datetime.timedelta(days=-1, seconds=5, microseconds=7)), (-1, 5, 7))
        self.assertEqual(T.dt_fields(datetime.timedelta(days=999999999)), (999999999, 0, 0))
        self.assertEqual(T.dt_fields(-datetime.timedelta(microseconds=1)), (-1, 86399, 999999))
        with self.assertRaises(TypeError):
            T.dt_fields(1)

    def test_constructors(self):
        self.assertEqual(T.dt_date(2026, 11, 21), datetime.date(2026, 11, 21))
        d = T.dt_date(2026, 11, 21, SubDate)
        self.assertIs(type(d), SubDate)
        self.assertEqual(T.dt_datetime(2026, 11, 21, 1, 2, 3, 4),
                         datetime.datetime(2026, 11, 21, 1, 2, 3, 4))
        dt = T.dt_datetime(2026, 11, 21, 1, 2, 3, 4, IST, 1)
        self.assertEqual((dt.tzinfo, dt.fold), (IST, 1))
        dt = T.dt_datetime(2026, 11, 21, 1, 2, 3, 4, None, 0, SubDateTime)
        self.assertIs(type(dt), SubDateTime)
        self.assertEqual(T.dt_time(1, 2, 3, 4), datetime.time(1, 2, 3, 4))
        t = T.dt_time(1, 2, 3, 4, UTC, 1)
        self.assertEqual((t.tzinfo, t.fold), (UTC, 1))
        self.assertEqual(T.dt_delta(1, 2, 3), datetime.timedelta(1, 2, 3))
        self.assertEqual(T.dt_timezone(datetime.timedelta(hours=2)),
                         datetime.timezone(datetime.timedelta(hours=2)))
        tz = T.dt_timezone(datetime.timedelta(hours=-3), 'X')
        self.assertEqual((tz.utcoffset(None), tz.tzname(None)), (datetime.timedelta(hours=-3), 'X'))
        d, dt = T.dt_from_timestamp((86400 * 365,), (0.5, UTC))
        self.assertEqual(d, datetime.date.fromtimestamp(86400 * 365))
        self.assertEqual(dt, datetime.datetime(1970, 1, 1, 0, 0, 0, 500000, tzinfo=UTC))

    def test_constructor_errors(self):
        # (The messages are the host's datetime's own: PyPy's adds the value.)
        with self.assertRaises(ValueError) as cm:
            T.dt_date(2020, 13, 1)
        self.assertTrue(str(cm.exception).startswith("month must be in 1..12") or
                        str(cm.exception).startswith("('month must be in 1..12'"))
        with self.assertRaises(ValueError):
            T.dt_datetime(2020, 1, 1, 24, 0, 0, 0)
        with self.assertRaises(TypeError):
            T.dt_datetime(2020, 1, 1, 0, 0, 0, 0, 'not a tzinfo')
        with self.assertRaises(ValueError):
            T.dt_time(0, 60, 0, 0)


if __name__ == '__main__':
    unittest.main()
