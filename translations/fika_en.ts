<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>fika::ui::ImportColumnsDialog</name>
    <message numerus="yes">
        <location filename="../ui/datasets/import_columns_dialog.cpp" line="30"/>
        <source>Fields separated by a %1 (detected); %n column(s).</source>
        <translation>
            <numerusform>Fields separated by a %1 (detected); %n column.</numerusform>
            <numerusform>Fields separated by a %1 (detected); %n columns.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fika::ui::ModelingView</name>
    <message numerus="yes">
        <location filename="../ui/modeling/modeling_view.cpp" line="423"/>
        <source>Checkpoints take about %1 on disk (the last %2 of %n epoch(s) kept, training.keep_epoch_checkpoints).</source>
        <translation>
            <numerusform>Checkpoints take about %1 on disk (the last %2 of %n epoch kept, training.keep_epoch_checkpoints).</numerusform>
            <numerusform>Checkpoints take about %1 on disk (the last %2 of %n epochs kept, training.keep_epoch_checkpoints).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/modeling/modeling_view.cpp" line="427"/>
        <source>Checkpoints take about %1 on disk (%n epoch(s); training.keep_epoch_checkpoints limits it).</source>
        <translation>
            <numerusform>Checkpoints take about %1 on disk (%n epoch; training.keep_epoch_checkpoints limits it).</numerusform>
            <numerusform>Checkpoints take about %1 on disk (%n epochs; training.keep_epoch_checkpoints limits it).</numerusform>
        </translation>
    </message>
</context>
</TS>
