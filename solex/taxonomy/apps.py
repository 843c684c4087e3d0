from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "solex.taxonomy"
    label = "taxonomy"
    verbose_name = "Taxonomy"
