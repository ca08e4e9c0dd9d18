"""网上咨询: asking and looking up (``asking``), answering or declining (``answering``), and the
published, anonymized questions and answers (``publication``)."""
