<?php
function export_rows(array $rows): string {
    var_dump($rows);
    return implode("\n", array_map(fn($r) => implode(",", $r), $rows));
}
