"""The Open Government Licence attribution the district-centre data needs.

The licence asks for these lines wherever the data is used, so every page that
shows a distance, and the sources page, renders them from here.
"""

LICENCE_NAME = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

ATTRIBUTION_LINES = (
    "Contains OS data © Crown copyright and database right 2025",
    "Contains Royal Mail data © Royal Mail copyright and database right 2025",
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0",
    "Derived via odileeds/Postcodes2LatLon (Open Innovations)",
)
