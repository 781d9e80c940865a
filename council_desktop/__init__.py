"""Council Desktop: five tiny language models debate and judge each other on your desktop."""

__version__ = "0.1.0"
APP_NAME = "Council Desktop"
APP_ID = "council-desktop"
