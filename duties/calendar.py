"""Working days per province: weekends, Indonesian public holidays and cuti
bersama (the `holidays` package, country ID, public + government categories),
and the admin-editable NonWorkingDay table (national or per province)."""

import datetime
from functools import lru_cache

import holidays

from .models import NonWorkingDay

CATEGORIES = ("public", "government")


@lru_cache(maxsize=64)
def national_holidays(year):
    return dict(holidays.country_holidays("ID", years=year, categories=CATEGORIES, language="id"))


class WorkingCalendar:
    """Answers "is this a working day in province P?". Build one per request or
    per reconcile run: it reads the NonWorkingDay table once per year asked."""

    def __init__(self):
        self._extra = {}

    def _extra_days(self, year):
        if year not in self._extra:
            rows = NonWorkingDay.objects.filter(date__year=year).values_list("date", "province_id", "name")
            days = {}
            for day, province_id, name in rows:
                days.setdefault(province_id, {})[day] = name
            self._extra[year] = days
        return self._extra[year]

    def holiday_name(self, day, province=None):
        """The reason `day` is not worked (a holiday's name, 'Sabtu'...), or None."""
        extra = self._extra_days(day.year)
        province_id = getattr(province, "pk", province)
        name = extra.get(None, {}).get(day) or extra.get(province_id, {}).get(day)
        return name or national_holidays(day.year).get(day)

    def is_working_day(self, day, province=None):
        return day.weekday() < 5 and self.holiday_name(day, province) is None

    def next_working_day(self, day, province=None):
        """`day` itself when worked, else the first working day after it."""
        while not self.is_working_day(day, province):
            day += datetime.timedelta(days=1)
        return day

    def add_working_days(self, day, count, province=None):
        """The date `count` working days after `day` (negative: before)."""
        step = datetime.timedelta(days=1 if count >= 0 else -1)
        remaining = abs(count)
        while remaining:
            day += step
            if self.is_working_day(day, province):
                remaining -= 1
        return day

    def working_days_between(self, start, end, province=None):
        """Working days after `start` up to and including `end`."""
        count, day = 0, start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day, province):
                count += 1
        return count
