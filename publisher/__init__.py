"""Sunshine."""
