"""Configuration: `load_config("config.toml") -> AppConfig` (frozen dataclasses, validated at start)."""

from receptionist.config.app import AppConfig, AppSettings, load_config, parse_config
from receptionist.config.hours import Interval, WeeklyHours
from receptionist.config.resources import Practitioner, RoomType, ServiceConfig, StayPolicy
from receptionist.config.tenant import TenantConfig

__all__ = [
    "AppConfig", "AppSettings", "Interval", "Practitioner", "RoomType", "ServiceConfig", "StayPolicy",
    "TenantConfig", "WeeklyHours", "load_config", "parse_config",
]
