"""`make html`: the lock of a checkout, building, the editions, and swapping the finished site in."""
