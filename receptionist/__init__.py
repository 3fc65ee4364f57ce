"""The receptionist appliance: an offline, multilingual AI receptionist."""

__version__ = "0.1.0"
