"""Back-office forms, one module per record; messages are Chinese, typed values are kept."""
