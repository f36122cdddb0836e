"""The analyst's dashboard (`marsad serve`): a read-only JSON API over the event store and the page that uses it."""
