"""好差评 and 整改: public rating forms, work orders, appeals, the back office."""
